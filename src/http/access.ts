import type { Tx } from "../db/schema.ts";
import { isStaff, type Principal } from "../identity/index.ts";
import { type LoadedPolicy, loadPolicy } from "../policies/index.ts";
import type { Ctx } from "../shared/context.ts";
import { dateIn, type IsoDate } from "../shared/dates.ts";
import { AppError, NotFoundError } from "../shared/errors.ts";

/**
 * Row-level access: staff see every household (their route roles already limit what they may
 * do), a policyholder only their own party's. Someone else's record answers 404 exactly like a
 * missing one, so ids cannot be probed.
 */
export function canSeeParty(principal: Principal, partyId: string): boolean {
  return isStaff(principal.role) || principal.partyId === partyId;
}

export async function visiblePolicy(
  tx: Tx,
  ctx: Ctx,
  principal: Principal,
  policyId: string,
  opts: { forUpdate?: boolean } = {},
): Promise<LoadedPolicy> {
  const owner = await tx
    .selectFrom("policies")
    .select("party_id")
    .where("id", "=", policyId)
    .executeTakeFirst();
  if (!owner || !canSeeParty(principal, owner.party_id)) throw new NotFoundError("policy", policyId);
  return loadPolicy(tx, ctx, policyId, opts);
}

/** For claim routes: the claim's policy must be visible to the caller. */
export async function visibleClaim(tx: Tx, principal: Principal, claimId: string) {
  const row = await tx
    .selectFrom("claims")
    .innerJoin("policies", "policies.id", "claims.policy_id")
    .select(["claims.id", "claims.policy_id", "policies.party_id"])
    .where("claims.id", "=", claimId)
    .executeTakeFirst();
  if (!row || !canSeeParty(principal, row.party_id)) throw new NotFoundError("claim", claimId);
  return { claimId: row.id, policyId: row.policy_id };
}

/** Refuses a field that only staff may set (a policyholder's own request date is always today). */
export function staffOnlyField(principal: Principal, field: string, value: unknown) {
  if (value !== undefined && !isStaff(principal.role)) {
    throw new AppError("forbidden", `only staff may set ${field}`, [{ path: field, message: "staff only" }]);
  }
}

/** Today's calendar date where the product is sold: what "today" means for its dates. */
/** Today in the product's time zone: the business date of the request. */
export function today(ctx: Ctx, timeZone: string): IsoDate {
  return dateIn(ctx.now, timeZone);
}

/** For helpline case routes: the case's policy must be visible to the caller. */
export async function visibleCase(tx: Tx, principal: Principal, caseId: string) {
  const row = await tx
    .selectFrom("assistance_cases")
    .innerJoin("policies", "policies.id", "assistance_cases.policy_id")
    .select(["assistance_cases.id", "assistance_cases.policy_id", "policies.party_id"])
    .where("assistance_cases.id", "=", caseId)
    .executeTakeFirst();
  if (!row || !canSeeParty(principal, row.party_id)) throw new NotFoundError("case", caseId);
  return { caseId: row.id, policyId: row.policy_id, partyId: row.party_id };
}

/** For content-removal routes: the item's case must be visible to the caller. */
export async function visibleRemoval(tx: Tx, principal: Principal, removalId: string) {
  const row = await tx
    .selectFrom("content_removals")
    .innerJoin("policies", "policies.id", "content_removals.policy_id")
    .select(["content_removals.id", "content_removals.case_id", "policies.party_id"])
    .where("content_removals.id", "=", removalId)
    .executeTakeFirst();
  if (!row || !canSeeParty(principal, row.party_id)) throw new NotFoundError("content removal", removalId);
  return { removalId: row.id, caseId: row.case_id };
}

/** For risk-tool results: a policyholder sees their own household's only. */
export async function visibleAssessment(tx: Tx, principal: Principal, id: string) {
  const row = await tx
    .selectFrom("risk_assessments")
    .select(["id", "party_id"])
    .where("id", "=", id)
    .executeTakeFirst();
  if (!row || !canSeeParty(principal, row.party_id)) throw new NotFoundError("risk assessment", id);
  return row;
}
