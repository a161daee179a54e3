import type { Tx } from "../db/schema.ts";

/** A stored decision with its claim's number and incident date: what a decision letter needs (issue 13). */
export function decisionForLetter(tx: Tx, claimId: string, sequence: number) {
  return tx
    .selectFrom("claim_decisions as d")
    .innerJoin("claims as c", "c.id", "d.claim_id")
    .select([
      "d.claim_id",
      "d.sequence",
      "d.policy_id",
      "d.outcome",
      "d.payout_cents",
      "d.missing",
      "d.explanation",
      "d.product_code",
      "d.product_version",
      "d.decided_on",
      "c.number as claim_number",
      "c.incident_date",
    ])
    .where("d.claim_id", "=", claimId)
    .where("d.sequence", "=", sequence)
    .executeTakeFirst();
}
