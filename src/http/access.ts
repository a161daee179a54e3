import { assessmentHolder, caseHolder, removalHolder } from "../assistance/index.ts";
import { claimHolder } from "../claims/index.ts";
import type { Tx } from "../db/schema.ts";
import { isStaff, type Principal } from "../identity/index.ts";
import { type LoadedPolicy, loadPolicy, policyHolder } from "../policies/index.ts";
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
  const owner = await policyHolder(tx, policyId);
  if (!owner || !canSeeParty(principal, owner)) throw new NotFoundError("policy", policyId);
  return loadPolicy(tx, ctx, policyId, opts);
}

/** For claim routes: the claim's policy must be visible to the caller. */
export async function visibleClaim(tx: Tx, principal: Principal, claimId: string) {
  const row = await claimHolder(tx, claimId);
  if (!row || !canSeeParty(principal, row.partyId)) throw new NotFoundError("claim", claimId);
  return { claimId: row.claimId, policyId: row.policyId };
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
  const row = await caseHolder(tx, caseId);
  if (!row || !canSeeParty(principal, row.partyId)) throw new NotFoundError("case", caseId);
  return row;
}

/** For content-removal routes: the item's case must be visible to the caller. */
export async function visibleRemoval(tx: Tx, principal: Principal, removalId: string) {
  const row = await removalHolder(tx, removalId);
  if (!row || !canSeeParty(principal, row.partyId)) throw new NotFoundError("content removal", removalId);
  return { removalId: row.removalId, caseId: row.caseId };
}

/** For risk-tool results: a policyholder sees their own household's only. */
export async function visibleAssessment(tx: Tx, principal: Principal, id: string) {
  const row = await assessmentHolder(tx, id);
  if (!row || !canSeeParty(principal, row.party_id)) throw new NotFoundError("risk assessment", id);
  return row;
}
