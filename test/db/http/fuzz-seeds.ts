import { claimBody, fileAs, pdf } from "./claims-support.ts";
import { call, type TestApp, validMandate } from "./helpers.ts";
import { aliceHelplineCase } from "./routes.ts";

/** Real ids for every kind of path parameter, so fuzzed requests get past "not found". */
export interface FuzzIds {
  claim: string;
  evidence: string;
  override: string;
  /** Alice's helpline case, its content-removal item and her risk-tool result. */
  helpline: { caseId: string; removalId: string; assessmentId: string };
}

/** Alice's claim with a piece of evidence and a pending (ex-gratia) override. */
export async function fuzzFixture(t: TestApp): Promise<FuzzIds> {
  const claim = (
    await fileAs(t, t.alice, claimBody(t.alice.policyId, { facts: { policeReport: true } }))
  ).json().id as string;
  const e = await t.app.inject({
    method: "POST",
    url: `/api/claims/${claim}/evidence?kind=other&fileName=a.pdf`,
    headers: { ...t.alice.headers, "content-type": "application/pdf" },
    payload: pdf(),
  });
  const o = await call(t.app, t.staff.claims_handler, "POST", `/api/staff/claims/${claim}/overrides`, {
    outcome: "approved",
    payout: "1400.00",
    reason: "a pending override to fuzz",
    // Beyond the cover: ex gratia, which always waits for an admin.
    exGratia: true,
  });
  const helpline = await aliceHelplineCase(t);
  return { claim, evidence: e.json().id, override: o.json().override.id, helpline };
}

/** The OpenAPI path with each parameter replaced by a real id of the right kind. */
export function urlFor(t: TestApp, ids: FuzzIds, path: string): string {
  const helpline: [string, string][] = [
    ["/api/cases/", ids.helpline.caseId],
    ["/api/content-removals/", ids.helpline.removalId],
    ["/api/risk-tool/assessments/", ids.helpline.assessmentId],
    ["/api/escalations/", "1"],
  ];
  const id =
    helpline.find(([prefix]) => path.startsWith(prefix))?.[1] ??
    (path.startsWith("/api/staff/overrides/")
      ? ids.override
      : path.startsWith("/api/admin/parties/")
        ? t.alice.partyId!
        : path.startsWith("/api/policies/") || path.startsWith("/api/staff/policies/")
          ? t.alice.policyId
          : ids.claim);
  return path
    .replace("{evidenceId}", ids.evidence)
    .replace("{code}", "nl-cyber")
    .replace("{version}", "1")
    .replace("{id}", id);
}

/** Valid bodies (or queries, for GET) per operation: mutating them reaches the checks behind the schema. */
export function routeSeeds(t: TestApp, ids: FuzzIds): Record<string, unknown[]> {
  const page = { limit: "10", offset: "0" };
  return {
    "POST /api/auth/login": [{ email: t.alice.email, password: "correct horse battery" }],
    "POST /api/auth/tokens": [{ label: "my laptop", expiresInDays: 30 }],
    "POST /api/auth/logout": [{}],
    "POST /api/auth/sign-up": [{ email: t.alice.email, password: "a long enough passphrase" }],
    "POST /api/auth/email-verification": [{ token: "x".repeat(43) }],
    "POST /api/auth/password-reset": [{ email: t.alice.email }],
    "POST /api/auth/password": [{ token: "x".repeat(43), password: "a long enough passphrase" }],
    "GET /api/admin/users": [{ ...page, role: "finance" }],
    "POST /api/admin/users": [
      { email: "new@example.test", role: "finance", displayName: "New", language: "fr" },
    ],
    "POST /api/admin/users/{id}/role": [{ role: "finance" }],
    "POST /api/admin/users/{id}/disable": [{}],
    "POST /api/admin/users/{id}/enable": [{}],
    "POST /api/admin/parties/{id}/login": [{ email: "eve@example.test" }],
    "POST /api/quotes": [
      {
        product: "nl-cyber",
        household: "family",
        paymentFrequency: "monthly",
        paymentMethod: "sepa_direct_debit",
      },
    ],
    "POST /api/policies": [
      {
        product: "nl-cyber",
        household: "single",
        startDate: "2026-04-01",
        paymentFrequency: "monthly",
        paymentMethod: "sepa_direct_debit",
        mandate: validMandate,
      },
      {
        product: "nl-cyber",
        household: "family",
        startDate: "2026-04-01",
        paymentFrequency: "annual",
        paymentMethod: "bank_transfer",
        party: { name: "Carla", email: "carla@example.test", phone: "+31 6 1234", birthDate: "1980-02-29" },
      },
    ],
    "GET /api/policies": [{ number: "NL-P00000001", partyId: t.alice.partyId, ...page }],
    "POST /api/policies/{id}/household-changes": [{ household: "single", effectiveDate: "2026-04-01" }],
    "POST /api/policies/{id}/cancellation": [{ effective: "2026-04-01", requestedOn: "2026-03-15" }],
    "POST /api/policies/{id}/mandate": [validMandate],
    "POST /api/claims": [
      claimBody(t.alice.policyId, { reference: "FUZZ-1" }),
      claimBody(t.alice.policyId, { reportedDate: "2026-03-12", facts: { note: "phoned the bank" } }),
    ],
    "GET /api/claims": [{ policyId: t.alice.policyId, status: "approved", ...page }],
    "POST /api/claims/{id}/facts": [
      { facts: { bankRefusalProof: true, note: "refused" }, date: "2026-03-15" },
    ],
    "POST /api/claims/{id}/evidence": [{ kind: "other", fileName: "b.pdf" }],
    "GET /api/staff/claims/queue": [{ reason: "override_pending", ...page }],
    "POST /api/staff/claims/{id}/referral": [{ reason: "please have a look" }],
    "POST /api/staff/claims/{id}/overrides": [
      { outcome: "approved", payout: "100.00", reason: "long enough reason" },
    ],
    "POST /api/staff/overrides/{id}/review": [{ approve: true, note: "ok" }, { approve: false }],
    "POST /api/admin/parties/{id}/erasure": [{}],
    "GET /api/products/{code}/versions/{version}": [{}],
    "GET /api/claims/{id}/evidence/{evidenceId}": [{ id: ids.claim, evidenceId: ids.evidence }],
    "POST /api/cases": [
      { policyId: t.alice.policyId, category: "extortion", ongoing: true, description: "locked out" },
      { policyId: t.alice.policyId, category: "hacking", channel: "chat", helpKinds: ["technical"] },
    ],
    "GET /api/cases": [{ status: "open", priority: "urgent", atRisk: "true", breached: "false", ...page }],
    "POST /api/cases/{id}/notes": [{ text: "more details" }],
    "POST /api/cases/{id}/responses": [{ text: "we are on it" }],
    "POST /api/cases/{id}/status": [{ status: "in_progress" }, { status: "resolved", reason: "done now" }],
    "POST /api/cases/{id}/priority": [{ priority: "urgent", reason: "money is leaving" }],
    "POST /api/cases/{id}/referrals": [{ to: "police", advisedOn: "2026-03-15" }],
    "POST /api/cases/{id}/content-removals": [
      {
        platform: "ExampleSocial",
        url: "https://social.example/p/2",
        contentType: "photo",
        ground: "harassment",
        explanation: "threats",
        language: "en",
      },
    ],
    "POST /api/content-removals/{id}/status": [{ status: "notice_sent" }],
    "POST /api/cases/{id}/ransom-consents": [{ maxAmount: "100.00" }],
    "POST /api/cases/{id}/claim": [
      {
        peril: "cyberbullying",
        incidentDate: "2026-03-15",
        losses: [{ kind: "psychological_help", amount: "200.00" }],
      },
    ],
    "GET /api/escalations": [page],
    "POST /api/risk-tool/assessments": [{ answers: { unique_passwords: "yes" } }],
    "GET /api/risk-tool/assessments": [{ partyId: t.alice.partyId }],
  };
}
