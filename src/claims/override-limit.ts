import type { ClaimRow, Tx } from "../db/schema.ts";
import { householdOn, loadPolicy } from "../policies/index.ts";
import type { Ctx } from "../shared/context.ts";
import { dateIn } from "../shared/dates.ts";
import { AppError, NotFoundError, ValidationError } from "../shared/errors.ts";
import { eur } from "../shared/i18n/index.ts";
import type { Cents } from "../shared/money.ts";
import { limitKey, sectionFor } from "./decide.ts";
import { type CoverRoom, type OverrideSplit, splitOverride } from "./override-cap.ts";
import { limitUsage } from "./store.ts";

/** The locks and limit arithmetic an override needs; kept apart from the override's workflow. */
export async function lockClaim(tx: Tx, claimId: string): Promise<ClaimRow> {
  const claim = await tx
    .selectFrom("claims")
    .selectAll()
    .where("id", "=", claimId)
    .forUpdate()
    .executeTakeFirst();
  if (!claim) throw new NotFoundError("claim", claimId);
  if (claim.current_decision === null)
    throw new AppError("claim_not_open", `claim ${claim.number} has no decision to override yet`);
  return claim;
}

/**
 * The claim's section and policy year with the usage row locked, and the annual limit of the
 * household in force on the incident date. Lock order (claim, then usage) matches
 * supplyClaimFacts, so the two can't deadlock.
 */
export async function lockedLimit(tx: Tx, ctx: Ctx, claim: ClaimRow) {
  const loaded = await loadPolicy(tx, ctx, claim.policy_id);
  const input = { peril: claim.peril, incidentDate: claim.incident_date, facts: claim.facts, losses: [] };
  const key = limitKey(loaded.product, loaded.terms, input);
  const section = sectionFor(loaded.product, claim.peril);
  if (!key || !section) return { loaded, key: null, section: null, limit: 0, used: 0 };
  const { used_cents: used } = await limitUsage(tx, ctx, claim.policy_id, key).executeTakeFirstOrThrow();
  const household = householdOn(loaded.terms, claim.incident_date);
  const limit = section.annualLimit[household] ?? 0;
  return { loaded, key, section, limit, used };
}

export type LockedLimit = Awaited<ReturnType<typeof lockedLimit>>;

/** The claim's payout within the cover: what the limit's usage counts (the ex-gratia part is not). */
export function contractualOf(claim: ClaimRow): Cents {
  return claim.payout_cents - claim.ex_gratia_cents;
}

/**
 * How much the cover leaves an override of this claim (override-cap.ts): the loss filed, the
 * section's deductible and per-event limit, and the annual limit's room without this claim.
 */
export async function coverRoom(tx: Tx, claim: ClaimRow, lim: LockedLimit): Promise<CoverRoom> {
  const lines = await tx
    .selectFrom("claim_lines")
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>("amount_cents"), eb.lit(0)).as("claimed"))
    .where("claim_id", "=", claim.id)
    .executeTakeFirstOrThrow();
  return {
    claimed: Number(lines.claimed),
    deductible: lim.section?.deductible ?? 0,
    perEventLimit: lim.section?.perEventLimit ?? null,
    limitRoom: lim.limit - (lim.used - contractualOf(claim)),
  };
}

/**
 * Refuses a payout beyond the cover unless it is ex gratia, and an ex-gratia mark on a payout the
 * cover holds (nothing to approve). The annual limit gets its own code: the section is used up.
 */
export function checkCover(
  input: { outcome: "approved" | "denied"; payout: Cents; exGratia: boolean },
  room: CoverRoom,
): OverrideSplit {
  const split = splitOverride(input.outcome === "approved" ? input.payout : 0, room);
  if (split.exGratia > 0 && !input.exGratia) {
    const why =
      split.boundBy === "annual_limit"
        ? `the annual limit of this section leaves ${eur(split.cap)} for this claim`
        : split.boundBy === "per_event_limit"
          ? `the section pays at most ${eur(split.cap)} per event`
          : `the loss filed is ${eur(room.claimed)} and the deductible (eigen risico) ${eur(room.deductible)}`;
    throw new AppError(
      split.boundBy === "annual_limit" ? "override_exceeds_limit" : "override_exceeds_cover",
      `${why}; this claim can pay at most ${eur(split.cap)}. More can only be paid ex gratia, with an admin's approval`,
      [{ path: "payout", message: `at most ${eur(split.cap)}` }],
    );
  }
  if (input.exGratia && split.exGratia === 0) {
    throw new ValidationError([
      {
        path: "exGratia",
        message: `the cover pays up to ${eur(split.cap)} for this claim: this payout needs no ex-gratia approval`,
      },
    ]);
  }
  return split;
}

/** Refuses a payout that the section's annual limit can't hold; lowering a payout always works. */
export function checkLimit(
  claim: ClaimRow,
  input: { outcome: "approved" | "denied"; payout: Cents },
  lim: { key: unknown; limit: Cents; used: Cents },
) {
  if (input.outcome !== "approved") return;
  if (!lim.key)
    throw new ValidationError([
      {
        path: "outcome",
        message:
          "the claim's peril has no section of this policy (or the incident lies before the start); nothing can be paid",
      },
    ]);
  const usedAfter = lim.used - claim.payout_cents + input.payout;
  if (input.payout > claim.payout_cents && usedAfter > lim.limit) {
    const room = Math.max(0, lim.limit - (lim.used - claim.payout_cents));
    throw new AppError(
      "override_exceeds_limit",
      `the annual limit of this section is ${eur(lim.limit)} and ${eur(lim.used - claim.payout_cents)} of it is used by other claims; this claim can pay at most ${eur(room)}`,
      [{ path: "payout", message: `at most ${eur(room)}` }],
    );
  }
}

/** Today in the product's time zone: the business date of the request. */
export function todayIn(ctx: Ctx, timeZone: string): string {
  return dateIn(ctx.now, timeZone);
}
