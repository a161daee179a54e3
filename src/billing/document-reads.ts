import type { Tx } from "../db/schema.ts";

/**
 * Billing's rows as the documents module reads them to render a letter (issue 13): a letter of the
 * `premium_letters` outbox, a refund or credit note, and the mandate in force. Read-only.
 */
export function premiumLetterById(tx: Tx, id: string) {
  return tx.selectFrom("premium_letters").selectAll().where("id", "=", id).executeTakeFirst();
}

export function adjustmentById(tx: Tx, id: number) {
  return tx.selectFrom("billing_adjustments").selectAll().where("id", "=", id).executeTakeFirst();
}

/** The policy's mandate in force, or undefined (a policy paid by transfer has none). */
export function mandateInForce(tx: Tx, policyId: string) {
  return tx
    .selectFrom("sepa_mandates")
    .select(["reference", "iban", "account_holder"])
    .where("policy_id", "=", policyId)
    .where("revoked_on", "is", null)
    .executeTakeFirst();
}
