import type { Tx } from "../../db/schema.ts";

/**
 * Whose a case, a content-removal item and a risk assessment are: the household (party) behind
 * them, for the API's row access (a policyholder reaching another household's id gets a 404).
 */

export async function caseHolder(tx: Tx, caseId: string) {
  const row = await tx
    .selectFrom("assistance_cases")
    .innerJoin("policies", "policies.id", "assistance_cases.policy_id")
    .select(["assistance_cases.id", "assistance_cases.policy_id", "policies.party_id"])
    .where("assistance_cases.id", "=", caseId)
    .executeTakeFirst();
  return row && { caseId: row.id, policyId: row.policy_id, partyId: row.party_id };
}

export async function removalHolder(tx: Tx, removalId: string) {
  const row = await tx
    .selectFrom("content_removals")
    .innerJoin("policies", "policies.id", "content_removals.policy_id")
    .select(["content_removals.id", "content_removals.case_id", "policies.party_id"])
    .where("content_removals.id", "=", removalId)
    .executeTakeFirst();
  return row && { removalId: row.id, caseId: row.case_id, partyId: row.party_id };
}

export async function assessmentHolder(tx: Tx, assessmentId: string) {
  return tx
    .selectFrom("risk_assessments")
    .select(["id", "party_id"])
    .where("id", "=", assessmentId)
    .executeTakeFirst();
}
