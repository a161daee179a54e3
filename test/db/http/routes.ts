import type { FastifyInstance } from "fastify";
import { call, type TestApp } from "./helpers.ts";

export interface ApiRoute {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** OpenAPI path, e.g. "/api/policies/{id}". */
  path: string;
  description: string;
}

/** Every API route, read from the OpenAPI document, so routes added later are covered too. */
export async function apiRoutes(app: FastifyInstance): Promise<ApiRoute[]> {
  const doc = (await app.inject({ method: "GET", url: "/openapi.json" })).json() as {
    paths: Record<string, Record<string, { description?: string }>>;
  };
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({
      method: method.toUpperCase() as ApiRoute["method"],
      path,
      description: op.description ?? "",
    })),
  );
}

export function fill(path: string, id: string): string {
  return path.replace(/\{[a-zA-Z]+\}/g, id);
}

/**
 * Alice's helpline case (cyberbullying, so it can hold a content-removal item), one such item and
 * one risk-tool result: the resources the IDOR test probes the helpline routes with.
 */
export async function aliceHelplineCase(t: TestApp) {
  const c = await call(t.app, t.alice, "POST", "/api/cases", {
    policyId: t.alice.policyId,
    category: "cyberbullying",
    description: "Someone posts lies about me",
  });
  const caseId = c.json().id as string;
  const r = await call(t.app, t.staff.helpline_agent, "POST", `/api/cases/${caseId}/content-removals`, {
    platform: "ExampleSocial",
    url: "https://social.example/p/1",
    contentType: "text",
    ground: "defamation",
    explanation: "False statements about Alice.",
  });
  const q = (await call(t.app, t.alice, "GET", "/api/risk-tool/questionnaire")).json() as {
    questions: { id: string; options: { id: string }[] }[];
  };
  const answers = Object.fromEntries(q.questions.map((x) => [x.id, x.options[0]!.id]));
  const a = await call(t.app, t.alice, "POST", "/api/risk-tool/assessments", { answers });
  return { caseId, removalId: r.json().id as string, assessmentId: a.json().id as string };
}
