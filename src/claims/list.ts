import { jsonArrayFrom, jsonObjectFrom } from "kysely/helpers/postgres";
import type { ClaimRow, Tx } from "../db/schema.ts";

/**
 * The claims module's read side for lists and views: each a constant number of queries, whatever
 * the page size (test/db/http/query-count.test.ts counts them).
 */

/**
 * Claims with their lines and current decision in one query (the lines as a JSON array, the
 * decision as a JSON object), so a page of claims costs the same number of queries as one.
 */
function claimsWithDetails(tx: Tx) {
  return tx
    .selectFrom("claims")
    .selectAll("claims")
    .select((eb) => [
      jsonArrayFrom(
        eb
          .selectFrom("claim_lines as l")
          .select(["l.line_no", "l.kind", "l.amount_cents"])
          .whereRef("l.claim_id", "=", "claims.id")
          .orderBy("l.line_no"),
      ).as("lines_json"),
      jsonObjectFrom(
        eb
          .selectFrom("claim_decisions as d")
          .selectAll("d")
          .whereRef("d.claim_id", "=", "claims.id")
          .whereRef("d.sequence", "=", "claims.current_decision"),
      ).as("decision_json"),
      eb
        .selectFrom("policies as p")
        .innerJoin("parties as h", "h.id", "p.party_id")
        .select("h.language")
        .whereRef("p.id", "=", "claims.policy_id")
        .$asScalar()
        .as("holder_language"),
    ]);
}

export type DetailedClaimRow = Awaited<
  ReturnType<ReturnType<typeof claimsWithDetails>["executeTakeFirstOrThrow"]>
>;

export type ClaimStatus = ClaimRow["status"];

export interface ClaimFilter {
  /** A policyholder's household: only its claims. */
  partyId?: string | null;
  policyId?: string;
  status?: ClaimStatus;
}

/** A page of claims with their lines and current decision, newest first, and the filter's total. */
export async function listClaims(
  tx: Tx,
  filter: ClaimFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: DetailedClaimRow[]; total: number }> {
  let rows = claimsWithDetails(tx).innerJoin("policies", "policies.id", "claims.policy_id");
  let count = tx.selectFrom("claims").innerJoin("policies", "policies.id", "claims.policy_id");
  if (filter.partyId) {
    rows = rows.where("policies.party_id", "=", filter.partyId);
    count = count.where("policies.party_id", "=", filter.partyId);
  }
  if (filter.policyId) {
    rows = rows.where("claims.policy_id", "=", filter.policyId);
    count = count.where("claims.policy_id", "=", filter.policyId);
  }
  if (filter.status) {
    rows = rows.where("claims.status", "=", filter.status);
    count = count.where("claims.status", "=", filter.status);
  }
  const [items, total] = await Promise.all([
    rows
      .orderBy("claims.created_at", "desc")
      .orderBy("claims.id")
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    count.select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows: items, total: Number(total.n) };
}

export function claimWithDetails(tx: Tx, claimId: string): Promise<DetailedClaimRow | undefined> {
  return claimsWithDetails(tx).where("claims.id", "=", claimId).executeTakeFirst();
}

/** Every decision of a claim, oldest first. */
export function decisionHistory(tx: Tx, claimId: string) {
  return tx
    .selectFrom("claim_decisions")
    .selectAll()
    .where("claim_id", "=", claimId)
    .orderBy("sequence")
    .execute();
}

/** The claim's policy and household, for the API's row access. */
export async function claimHolder(tx: Tx, claimId: string) {
  const row = await tx
    .selectFrom("claims")
    .innerJoin("policies", "policies.id", "claims.policy_id")
    .select(["claims.id", "claims.policy_id", "policies.party_id"])
    .where("claims.id", "=", claimId)
    .executeTakeFirst();
  return row && { claimId: row.id, policyId: row.policy_id, partyId: row.party_id };
}
