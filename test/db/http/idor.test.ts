import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectDocuments } from "../../../src/documents/index.ts";
import { claimBody, fileAs, pdf, upload } from "./claims-support.ts";
import { call, ctx, rowCounts, startTestApp, type TestApp } from "./helpers.ts";
import { aliceHelplineCase, apiRoutes, fill } from "./routes.ts";

let t: TestApp;
/** Alice's claim, its evidence, a pending (ex-gratia) override, her token, a document and her helpline records. */
const mine = {
  claim: "",
  evidence: "",
  override: "",
  token: "",
  document: "",
  case: "",
  removal: "",
  assessment: "",
};
beforeAll(async () => {
  t = await startTestApp();
  mine.claim = (await fileAs(t, t.alice, claimBody(t.alice.policyId))).json().id;
  mine.evidence = (await upload(t, t.alice, mine.claim, pdf())).json().id;
  const o = await call(t.app, t.staff.claims_handler, "POST", `/api/staff/claims/${mine.claim}/overrides`, {
    outcome: "approved",
    payout: "1600.00",
    reason: "pending override for the IDOR test",
    // Beyond the cover: ex gratia, which always waits for an admin.
    exGratia: true,
  });
  mine.override = o.json().override.id;
  const token = await t.db.kysely
    .selectFrom("api_tokens")
    .select("id")
    .where("user_id", "=", t.alice.userId)
    .executeTakeFirstOrThrow();
  mine.token = token.id;
  await collectDocuments(t.db.kysely, ctx());
  const doc = await t.db.kysely
    .selectFrom("documents")
    .select("id")
    .where("policy_id", "=", t.alice.policyId)
    .executeTakeFirstOrThrow();
  mine.document = doc.id;
  const helpline = await aliceHelplineCase(t);
  mine.case = helpline.caseId;
  mine.removal = helpline.removalId;
  mine.assessment = helpline.assessmentId;
});
afterAll(() => t.close());

/** A plausible body per route, so a refusal can only come from the ownership check. */
const BODIES: Record<string, unknown> = {
  "POST /api/policies/{id}/household-changes": { household: "single", effectiveDate: "2026-04-01" },
  "POST /api/policies/{id}/cancellation": { effective: "2026-04-01" },
  "POST /api/policies/{id}/mandate": {
    accountHolder: "Bob",
    iban: "NL91ABNA0417164300",
    signedOn: "2026-03-15",
    consentText: "I authorise cyberpolis to collect the premium by SEPA direct debit.",
  },
  "POST /api/claims/{id}/facts": { facts: { bankRefusalProof: true } },
  "POST /api/claims/{id}/evidence": pdf("bob's file"),
  "POST /api/staff/claims/{id}/referral": { reason: "please look at this" },
  "POST /api/staff/claims/{id}/overrides": {
    outcome: "approved",
    payout: "1.00",
    reason: "long enough reason",
  },
  "POST /api/staff/overrides/{id}/review": { approve: true },
  "POST /api/admin/parties/{id}/erasure": {},
  "POST /api/cases/{id}/notes": { text: "Bob writes on Alice's case" },
};

/** Query strings and headers some routes need before they reach the ownership check. */
const QUERY: Record<string, string> = { "POST /api/claims/{id}/evidence": "?kind=other&fileName=b.pdf" };
const HEADERS: Record<string, Record<string, string>> = {
  "POST /api/claims/{id}/evidence": { "content-type": "application/pdf" },
};

describe("IDOR: user B never reaches user A's resources", () => {
  it("every route with an id answers 404 to another policyholder, and changes nothing", async () => {
    // Alice's resource per path prefix. A new route with an id fails here until it is listed.
    const owned: [prefix: string, id: () => string][] = [
      ["/api/policies/", () => t.alice.policyId],
      ["/api/claims/", () => mine.claim],
      ["/api/staff/claims/", () => mine.claim],
      ["/api/staff/policies/", () => t.alice.policyId],
      ["/api/staff/overrides/", () => mine.override],
      ["/api/admin/parties/", () => t.alice.partyId!],
      ["/api/auth/tokens/", () => mine.token],
      ["/api/admin/users/", () => t.alice.userId],
      ["/api/documents/", () => mine.document],
      ["/api/cases/", () => mine.case],
      ["/api/content-removals/", () => mine.removal],
      ["/api/risk-tool/assessments/", () => mine.assessment],
      // staff only (a policyholder is refused by role); the id is a breach's number
      ["/api/escalations/", () => "1"],
    ];
    const routes = (await apiRoutes(t.app)).filter((r) => r.path.includes("{id}"));
    expect(routes.length).toBeGreaterThanOrEqual(5);
    const before = await rowCounts(t.db);
    for (const r of routes) {
      const id = owned.find(([prefix]) => r.path.startsWith(prefix))?.[1]();
      expect(id, `add Alice's resource for ${r.path} to the IDOR test`).toBeDefined();
      const key = `${r.method} ${r.path}`;
      const url = fill(r.path.replace("{evidenceId}", mine.evidence), id!);
      const res = await call(t.app, t.bob, r.method, url + (QUERY[key] ?? ""), BODIES[key], HEADERS[key]);
      // Staff-only routes refuse a policyholder by role before any row is looked at.
      const forHolders = /Roles:[^.]*\bpolicyholder\b/.test(r.description);
      const expected = forHolders ? { status: 404, code: "not_found" } : { status: 403, code: "forbidden" };
      expect({ route: key, status: res.statusCode, code: res.json().code }).toEqual({
        route: key,
        ...expected,
      });
      // The owner does reach it: the 404 above is the ownership check, not a broken route.
      const own = await call(t.app, forHolders ? t.alice : t.staff.admin, "GET", url);
      if (r.method === "GET") expect(own.statusCode).toBe(200);
    }
    expect(await rowCounts(t.db)).toEqual(before);
  });

  it("a missing id and someone else's id look the same", async () => {
    const missing = await call(t.app, t.bob, "GET", "/api/policies/00000000-0000-4000-8000-000000000000");
    const foreign = await call(t.app, t.bob, "GET", `/api/policies/${t.alice.policyId}`);
    expect(missing.statusCode).toBe(foreign.statusCode);
    expect(missing.json().code).toBe(foreign.json().code);
  });

  it("filters in lists cannot widen a policyholder's view", async () => {
    const res = await call(t.app, t.bob, "GET", `/api/policies?partyId=${t.alice.partyId}`);
    expect(res.json()).toEqual({ items: [], total: 0 });
  });
});
