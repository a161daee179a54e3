import type { Tx } from "../../db/schema.ts";

/**
 * The helpline's part of a household's GDPR export (art. 15 and 20): its cases with notes,
 * history, referrals, breaches, consents and content-removal items, and its risk-tool results.
 * Staff ids are left out of the notes' and changes' authors (they are the insurer's, not the
 * policyholder's, data); what was said and decided stays in.
 */
export async function assistancePersonalData(tx: Tx, partyId: string, policyIds: readonly string[]) {
  const ids = policyIds.length > 0 ? [...policyIds] : ["00000000-0000-0000-0000-000000000000"];
  const [cases, notes, statusChanges, priorityChanges, referrals, breaches, consents, removals, risk] =
    await Promise.all([
      tx
        .selectFrom("assistance_cases")
        .selectAll()
        .where("policy_id", "in", ids)
        .orderBy("opened_at")
        .execute(),
      tx
        .selectFrom("assistance_notes")
        .select(["id", "case_id", "author_role", "at", "body", "is_response"])
        .where("policy_id", "in", ids)
        .orderBy("id")
        .execute(),
      tx
        .selectFrom("assistance_status_changes")
        .select(["case_id", "from_status", "to_status", "version", "reason", "at"])
        .where("policy_id", "in", ids)
        .execute(),
      tx
        .selectFrom("assistance_priority_changes")
        .select(["case_id", "from_priority", "to_priority", "reason", "at"])
        .where("policy_id", "in", ids)
        .execute(),
      tx.selectFrom("assistance_referrals").selectAll().where("policy_id", "in", ids).execute(),
      tx.selectFrom("assistance_breaches").selectAll().where("policy_id", "in", ids).execute(),
      tx
        .selectFrom("ransom_consents")
        .select(["id", "case_id", "given_at", "given_on", "max_cents"])
        .where("policy_id", "in", ids)
        .execute(),
      tx.selectFrom("content_removals").selectAll().where("policy_id", "in", ids).execute(),
      tx.selectFrom("risk_assessments").selectAll().where("party_id", "=", partyId).execute(),
    ]);
  return {
    assistance_cases: cases,
    assistance_notes: notes,
    assistance_status_changes: statusChanges,
    assistance_priority_changes: priorityChanges,
    assistance_referrals: referrals,
    assistance_breaches: breaches,
    ransom_consents: consents,
    content_removals: removals,
    risk_assessments: risk,
  };
}
