import { jsonArrayFrom } from "kysely/helpers/postgres";
import type { PolicyRow, Tx } from "../db/schema.ts";
import type { ProductDefinition } from "../products/index.ts";
import type { Ctx } from "../shared/context.ts";
import { AppError, NotFoundError } from "../shared/errors.ts";
import type { Language } from "../shared/i18n/index.ts";
import type { PolicyTerms } from "./cover.ts";

export interface LoadedPolicy {
  policy: PolicyRow;
  /** The product version the policy was sold under: it decides everything about this policy. */
  product: ProductDefinition;
  terms: PolicyTerms;
  /** The policyholder's language: what letters and explanations for this policy are written in. */
  language: Language;
}

/**
 * Policies with their endorsements and suspensions as JSON arrays (dates stay YYYY-MM-DD strings
 * in JSON, as the date parser gives them): one round trip for one policy or a page of them.
 */
export function policiesWithTerms(tx: Tx) {
  return tx
    .selectFrom("policies")
    .selectAll("policies")
    .select((eb) => [
      jsonArrayFrom(
        eb
          .selectFrom("policy_endorsements as e")
          .select(["e.effective_date", "e.household"])
          .whereRef("e.policy_id", "=", "policies.id")
          .orderBy("e.effective_date"),
      ).as("endorsements_json"),
      jsonArrayFrom(
        eb
          .selectFrom("premium_suspensions as s")
          .select(["s.from_date", "s.until_date"])
          .whereRef("s.policy_id", "=", "policies.id")
          .orderBy("s.from_date"),
      ).as("suspensions_json"),
      eb
        .selectFrom("parties")
        .select("parties.language")
        .whereRef("parties.id", "=", "policies.party_id")
        .$asScalar()
        .$notNull()
        .as("holder_language"),
    ]);
}

type TermsRow = Awaited<ReturnType<ReturnType<typeof policiesWithTerms>["executeTakeFirstOrThrow"]>>;

/** A row of `policiesWithTerms` as the core sees it, under the product version it was sold under. */
export function loadedPolicyOf(ctx: Ctx, row: TermsRow): LoadedPolicy {
  const {
    endorsements_json: endorsements,
    suspensions_json: suspensions,
    holder_language: language,
    ...policy
  } = row;
  const product = ctx.catalog.get(policy.product_code, policy.product_version);
  return {
    policy,
    product,
    terms: {
      startDate: policy.start_date,
      household: policy.household,
      endorsements: endorsements.map((e) => ({
        effectiveDate: e.effective_date,
        household: e.household,
      })),
      endDate: policy.end_date,
      endReason: policy.end_reason,
      suspensions: suspensions.map((s) => ({ from: s.from_date, until: s.until_date })),
    },
    language,
  };
}

/** Loads a policy with everything the decision core needs; `forUpdate` serialises changes to one policy. */
export async function loadPolicy(
  tx: Tx,
  ctx: Ctx,
  policyId: string,
  opts: { forUpdate?: boolean } = {},
): Promise<LoadedPolicy> {
  // FOR UPDATE locks only the policy row; the JSON subqueries are their own query levels.
  let q = policiesWithTerms(tx).where("policies.id", "=", policyId);
  if (opts.forUpdate) q = q.forUpdate("policies");
  const row = await q.executeTakeFirst();
  if (!row) throw new NotFoundError("policy", policyId);
  return loadedPolicyOf(ctx, row);
}

/** Compare-and-set on the policy's version so two writers can't both apply a change. */
export async function touchPolicy(
  tx: Tx,
  ctx: Ctx,
  policy: PolicyRow,
  changes: Partial<
    Pick<PolicyRow, "end_date" | "end_reason" | "cancel_requested_on" | "cancel_refund_cents">
  > = {},
) {
  const result = await tx
    .updateTable("policies")
    .set({ ...changes, updated_at: ctx.now, version: policy.version + 1 })
    .where("id", "=", policy.id)
    .where("version", "=", policy.version)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1)
    throw new AppError("conflict", `policy ${policy.number} changed concurrently; retry`);
}
