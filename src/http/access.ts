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
