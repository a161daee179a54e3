import { jsonObjectFrom } from "kysely/helpers/postgres";
import type { Tx } from "../db/schema.ts";
import { policiesWithTerms } from "./repository.ts";

/**
 * The policies module's list: a page of policies with their terms, holder's name and active
 * mandate (billing's row, read here so a page costs two queries whatever its size), and the total.
 */
export interface PolicyFilter {
  /** A policyholder's household: only its policies. */
  partyId?: string;
  /** Staff's filter by household (combined with `partyId` when both are given). */
  holderPartyId?: string;
  number?: string;
}

function withHolderAndMandate(tx: Tx) {
  return policiesWithTerms(tx)
    .innerJoin("parties", "parties.id", "policies.party_id")
    .select((eb) => [
      "parties.name as holder_name",
      jsonObjectFrom(
        eb
          .selectFrom("sepa_mandates as m")
          .select(["m.reference", "m.account_holder", "m.iban", "m.bic", "m.signed_on"])
          .whereRef("m.policy_id", "=", "policies.id")
          .where("m.revoked_on", "is", null),
      ).as("mandate_json"),
    ]);
}

export type ListedPolicyRow = Awaited<
  ReturnType<ReturnType<typeof withHolderAndMandate>["executeTakeFirstOrThrow"]>
>;

export async function listPolicies(
  tx: Tx,
  filter: PolicyFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: ListedPolicyRow[]; total: number }> {
  let rows = withHolderAndMandate(tx);
  let count = tx.selectFrom("policies");
  for (const partyId of [filter.partyId, filter.holderPartyId]) {
    if (!partyId) continue;
    rows = rows.where("policies.party_id", "=", partyId);
    count = count.where("party_id", "=", partyId);
  }
  if (filter.number) {
    rows = rows.where("policies.number", "=", filter.number);
    count = count.where("number", "=", filter.number);
  }
  const [items, total] = await Promise.all([
    rows
      .orderBy("policies.created_at", "desc")
      .orderBy("policies.id")
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    count.select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows: items, total: Number(total.n) };
}

/** The holder's name and the active mandate of one policy, for its view. */
export async function holderAndMandate(tx: Tx, policy: { id: string; party_id: string }) {
  const [party, mandate] = await Promise.all([
    tx.selectFrom("parties").select("name").where("id", "=", policy.party_id).executeTakeFirstOrThrow(),
    tx
      .selectFrom("sepa_mandates")
      .select(["reference", "account_holder", "iban", "bic", "signed_on"])
      .where("policy_id", "=", policy.id)
      .where("revoked_on", "is", null)
      .executeTakeFirst(),
  ]);
  return { holderName: party.name, mandate: mandate ?? null };
}

export async function policyExists(tx: Tx, policyId: string): Promise<boolean> {
  return (
    (await tx.selectFrom("policies").select("id").where("id", "=", policyId).executeTakeFirst()) !== undefined
  );
}

/** The household a policy belongs to, for the API's row access. */
export async function policyHolder(tx: Tx, policyId: string): Promise<string | undefined> {
  const row = await tx
    .selectFrom("policies")
    .select("party_id")
    .where("id", "=", policyId)
    .executeTakeFirst();
  return row?.party_id;
}
