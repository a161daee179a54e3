import { expect } from "vitest";
import { Q } from "./gdpr-party.ts";
import { type Caller, call, type TestApp } from "./helpers.ts";

const all = (label: string) => `${label}: ${Q.name}, ${Q.holder}, ${Q.email}, ${Q.phone}, ${Q.newIban}`;

async function ok(res: Promise<{ statusCode: number; body: string }>, status = 200) {
  const r = await res;
  expect(r.statusCode, r.body).toBe(status);
  return JSON.parse(r.body);
}

/**
 * Plants the party in every free-text field of the helpline: the case's description and notes,
 * a response, a reopening's and a priority change's reason, a content-removal item (platform,
 * URL, explanation, and so the notice), and a risk-tool result.
 */
export async function plantHelpline(t: TestApp, me: Caller, policyId: string) {
  const agent = t.staff.helpline_agent;
  const c = await ok(
    call(t.app, me, "POST", "/api/cases", { policyId, category: "cyberbullying", description: all("I am") }),
    201,
  );
  await ok(call(t.app, me, "POST", `/api/cases/${c.id}/notes`, { text: all("note by") }));
  await ok(call(t.app, agent, "POST", `/api/cases/${c.id}/responses`, { text: all("dear") }));
  await ok(
    call(t.app, agent, "POST", `/api/cases/${c.id}/priority`, { priority: "urgent", reason: all("called") }),
  );
  await ok(call(t.app, agent, "POST", `/api/cases/${c.id}/status`, { status: "resolved" }));
  await ok(
    call(t.app, agent, "POST", `/api/cases/${c.id}/status`, { status: "in_progress", reason: all("again") }),
  );
  await ok(call(t.app, agent, "POST", `/api/cases/${c.id}/status`, { status: "resolved" }));
  await ok(
    call(t.app, agent, "POST", `/api/cases/${c.id}/content-removals`, {
      platform: all("profile of"),
      url: `https://social.example/u/${Q.email}`,
      contentType: "photo",
      ground: "impersonation",
      explanation: all("pretends to be"),
    }),
    201,
  );
  const q = (await ok(call(t.app, me, "GET", "/api/risk-tool/questionnaire"))) as {
    questions: { id: string; options: { id: string }[] }[];
  };
  const answers = Object.fromEntries(q.questions.map((x) => [x.id, x.options[0]!.id]));
  await ok(call(t.app, me, "POST", "/api/risk-tool/assessments", { answers }), 201);
}
