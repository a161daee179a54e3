import type { Caller, TestApp } from "./helpers.ts";
import { call } from "./helpers.ts";

/** Section F (social engineering), family: 5,000.00 a year, 1,500.00 per event, 50.00 deductible. */
export function claimBody(policyId: string, over: Record<string, unknown> = {}) {
  return {
    policyId,
    peril: "social_engineering",
    incidentDate: "2026-03-10",
    losses: [{ kind: "transferred_amount", amount: "400.00" }],
    facts: { policeReport: true, bankRefusalProof: true },
    ...over,
  };
}

export async function fileAs(t: TestApp, who: Caller, body: unknown, headers: Record<string, string> = {}) {
  return call(t.app, who, "POST", "/api/claims", body, headers);
}

/** A one-page PDF that passes the structure check (header, xref, startxref, %%EOF). */
export { pdf } from "../../support/evidence-files.ts";

export function upload(
  t: TestApp,
  who: Caller,
  claimId: string,
  content: Buffer,
  type = "application/pdf",
  kind = "police_report",
) {
  return t.app.inject({
    method: "POST",
    url: `/api/claims/${claimId}/evidence?kind=${kind}&fileName=${encodeURIComponent("aangifte.pdf")}`,
    headers: { ...who.headers, "content-type": type },
    payload: content,
  });
}
