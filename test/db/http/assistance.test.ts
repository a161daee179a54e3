import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimBody, fileAs } from "./claims-support.ts";
import { call, rowCounts, startTestApp, type TestApp } from "./helpers.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const open = (
  who: { headers: Record<string, string> } = t.alice,
  body: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) =>
  call(
    t.app,
    who,
    "POST",
    "/api/cases",
    { policyId: t.alice.policyId, category: "extortion", ...body },
    headers,
  );

describe("helpline API", () => {
  it("a policyholder opens and follows their own case; someone else's policy is a 404", async () => {
    const res = await open(t.alice, { ongoing: true, description: "My laptop is locked, they want bitcoin" });
    expect(res.statusCode).toBe(201);
    const c = res.json();
    expect(c).toMatchObject({ priority: "urgent", status: "open", channel: "portal", entitled: true });
    expect(c.firstResponse.due).toBe("2026-03-15T10:15:00.000Z");
    expect(c.notes).toHaveLength(1);
    expect((await call(t.app, t.alice, "GET", `/api/cases/${c.id}`)).statusCode).toBe(200);
    expect((await call(t.app, t.bob, "GET", `/api/cases/${c.id}`)).statusCode).toBe(404);
    const foreign = await call(t.app, t.bob, "POST", "/api/cases", {
      policyId: t.alice.policyId,
      category: "hacking",
    });
    expect(foreign.statusCode).toBe(404);
    const mine = (await call(t.app, t.bob, "GET", "/api/cases")).json();
    expect(mine.items.map((i: { id: string }) => i.id)).not.toContain(c.id);
  });

  it("refuses bad input with a problem and changes nothing", async () => {
    const before = await rowCounts(t.db);
    expect((await open(t.alice, { category: "alien_abduction" })).json().code).toBe("unknown_category");
    expect((await open(t.alice, { channel: "pigeon" })).statusCode).toBe(400);
    expect((await open(t.alice, { openedAt: "2026-03-15T09:00:00+01:00" })).json().code).toBe("forbidden");
    const c = (await open(t.staff.helpline_agent, { category: "hacking" })).json();
    const after = await rowCounts(t.db);
    const bad = await call(t.app, t.staff.helpline_agent, "POST", `/api/cases/${c.id}/status`, {
      status: "resolved",
    });
    expect(bad.statusCode).toBe(409);
    expect(bad.json().code).toBe("transition_not_allowed");
    const unknown = await call(t.app, t.staff.helpline_agent, "POST", `/api/cases/${c.id}/status`, {
      status: "closed",
    });
    expect(unknown.json().code).toBe("unknown_status");
    expect(await rowCounts(t.db)).toEqual(after);
    expect(after.assistance_cases).toBe(before.assistance_cases! + 1);
  });

  it("the helpline works the queue: filters, sort by due instant, respond, status, priority, referral", async () => {
    const agent = t.staff.helpline_agent;
    const normal = (await open(agent, { category: "hacking", openedAt: "2026-03-15T06:30:00Z" })).json();
    const urgent = (await open(agent, { category: "extortion", ongoing: true })).json();
    const q = (await call(t.app, agent, "GET", "/api/cases?status=open&limit=200")).json();
    const dues = q.items.map((i: { firstResponse: { due: string } }) => i.firstResponse.due);
    expect([...dues].sort()).toEqual(dues);
    expect(q.items.map((i: { id: string }) => i.id)).toEqual(expect.arrayContaining([normal.id, urgent.id]));
    const risky = (await call(t.app, agent, "GET", "/api/cases?atRisk=true")).json();
    expect(risky.items.map((i: { id: string }) => i.id)).toContain(normal.id); // 3.5 of 4 hours gone
    expect(risky.items.map((i: { id: string }) => i.id)).not.toContain(urgent.id);
    const urgentOnly = (await call(t.app, agent, "GET", "/api/cases?priority=urgent")).json();
    expect(urgentOnly.items.every((i: { priority: string }) => i.priority === "urgent")).toBe(true);
    expect((await call(t.app, t.staff.finance, "GET", "/api/cases")).statusCode).toBe(403);

    const r = await call(t.app, agent, "POST", `/api/cases/${urgent.id}/responses`, {
      text: "We are on it.",
    });
    expect(r.json()).toMatchObject({ status: "in_progress", firstResponse: { met: true } });
    const w = await call(t.app, agent, "POST", `/api/cases/${urgent.id}/status`, {
      status: "waiting_for_customer",
    });
    expect(w.json().status).toBe("waiting_for_customer");
    const p = await call(t.app, agent, "POST", `/api/cases/${urgent.id}/priority`, {
      priority: "high",
      reason: "the attack stopped",
    });
    expect(p.json()).toMatchObject({ priority: "high", priorityReason: "the attack stopped" });
    const ref = await call(t.app, agent, "POST", `/api/cases/${urgent.id}/referrals`, { to: "police" });
    expect(ref.json().referrals).toEqual([{ to: "police", advisedOn: "2026-03-15" }]);
    const badRef = await call(t.app, agent, "POST", `/api/cases/${urgent.id}/referrals`, {
      to: "ghostbusters",
    });
    expect(badRef.statusCode).toBe(400);
  });

  it("only a supervisor gives ransom consent; a policyholder cannot claim consent as a fact", async () => {
    const c = (await open(t.staff.helpline_agent, { category: "extortion", ongoing: true })).json();
    const byAgent = await call(t.app, t.staff.helpline_agent, "POST", `/api/cases/${c.id}/ransom-consents`, {
      maxAmount: "500.00",
    });
    expect(byAgent.statusCode).toBe(403);
    const tooMuch = await call(
      t.app,
      t.staff.helpline_supervisor,
      "POST",
      `/api/cases/${c.id}/ransom-consents`,
      {
        maxAmount: "5000.01",
      },
    );
    expect(tooMuch.json().code).toBe("consent_above_limit");
    const ok = await call(t.app, t.staff.helpline_supervisor, "POST", `/api/cases/${c.id}/ransom-consents`, {
      maxAmount: "500.00",
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().consents).toEqual([
      expect.objectContaining({ maxAmount: "500.00", givenOn: "2026-03-15" }),
    ]);
    const esc = await call(t.app, t.staff.helpline_supervisor, "GET", "/api/escalations");
    expect(esc.statusCode).toBe(200);

    const cheat = await fileAs(
      t,
      t.alice,
      claimBody(t.alice.policyId, {
        peril: "cyber_extortion",
        losses: [{ kind: "ransom", amount: "300.00" }],
        facts: { policeReport: true, ransomConsent: true },
      }),
    );
    expect(cheat.statusCode).toBe(403);
    expect(cheat.json().code).toBe("insurer_fact");
    const paid = await fileAs(
      t,
      t.alice,
      claimBody(t.alice.policyId, {
        peril: "cyber_extortion",
        incidentDate: "2026-03-15",
        losses: [{ kind: "ransom", amount: "700.00", paidOn: "2026-03-15" }],
        facts: { policeReport: true },
      }),
    );
    expect(paid.json()).toMatchObject({ status: "approved", payout: "450.00" });

    const draft = await call(t.app, t.staff.claims_handler, "GET", `/api/cases/${c.id}/claim-draft`);
    expect(draft.json()).toMatchObject({
      perils: ["cyber_extortion"],
      incidentDate: "2026-03-15",
      claimId: null,
    });
    const conv = await call(t.app, t.staff.claims_handler, "POST", `/api/cases/${c.id}/claim`, {
      losses: [{ kind: "device_restoration", amount: "120.00" }],
      facts: { policeReport: true },
    });
    expect(conv.statusCode).toBe(201);
    expect(conv.json().peril).toBe("cyber_extortion");
    expect((await call(t.app, t.alice, "GET", `/api/cases/${c.id}`)).json().claimId).toBe(conv.json().id);
  });

  it("content removal: an http(s) URL, a notice in the policyholder's language", async () => {
    const c = (await open(t.staff.helpline_agent, { category: "defamation" })).json();
    const bad = await call(t.app, t.staff.helpline_agent, "POST", `/api/cases/${c.id}/content-removals`, {
      platform: "ExampleSocial",
      url: "javascript:alert(1)",
      contentType: "photo",
      ground: "defamation",
      explanation: "lies",
    });
    expect(bad.statusCode).toBe(400);
    const ok = await call(t.app, t.staff.helpline_agent, "POST", `/api/cases/${c.id}/content-removals`, {
      platform: "ExampleSocial",
      url: "https://social.example/p/9",
      contentType: "photo",
      ground: "intimate_image",
      explanation: "Shared without my consent.",
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().notice).toContain("artikel 16");
    expect(ok.json().notice).toContain("alice@example.test");
    const sent = await call(
      t.app,
      t.staff.helpline_agent,
      "POST",
      `/api/content-removals/${ok.json().id}/status`,
      {
        status: "notice_sent",
      },
    );
    expect(sent.json().status).toBe("notice_sent");
  });

  it("the risk tool: answers all questions, history over time, bad answers refused", async () => {
    const q = (await call(t.app, t.alice, "GET", "/api/risk-tool/questionnaire")).json();
    const best = Object.fromEntries(
      q.questions.map((x: { id: string; options: { id: string }[] }) => [x.id, x.options[0]!.id]),
    );
    const res = await call(t.app, t.alice, "POST", "/api/risk-tool/assessments", { answers: best });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ overall: 100, level: "good", tips: [] });
    const worst = { ...best, unique_passwords: "no" };
    const second = (
      await call(t.app, t.alice, "POST", "/api/risk-tool/assessments", { answers: worst })
    ).json();
    expect(second.tips[0]).toMatchObject({ question: "unique_passwords", source: "Veiliginternetten.nl" });
    const { two_factor: _, ...missing } = best;
    const refused = await call(t.app, t.alice, "POST", "/api/risk-tool/assessments", { answers: missing });
    expect(refused.json().code).toBe("invalid_risk_answers");
    const history = (await call(t.app, t.alice, "GET", "/api/risk-tool/assessments")).json();
    expect(history.items.length).toBeGreaterThanOrEqual(2);
    expect((await call(t.app, t.bob, "GET", `/api/risk-tool/assessments/${res.json().id}`)).statusCode).toBe(
      404,
    );
  });

  it("a retried Idempotency-Key opens one case", async () => {
    const headers = { "idempotency-key": "case-once-0001" };
    const a = await open(t.alice, { category: "hacking" }, headers);
    const b = await open(t.alice, { category: "hacking" }, headers);
    expect(b.json().id).toBe(a.json().id);
    expect(b.headers["idempotent-replayed"]).toBe("true");
  });
});
