import type { Tx } from "../db/schema.ts";

/**
 * The party's policies, for the erase-party flow. Policies and endorsements hold no personal data
 * beyond the party id (number, product, household, dates, premium): they stay as they are.
 */
export async function partyPolicies(tx: Tx, partyId: string) {
  return tx
    .selectFrom("policies")
    .select(["id", "number", "end_date"])
    .where("party_id", "=", partyId)
    .orderBy("created_at")
    .execute();
}
