import { recordAudit } from "../audit/index.ts";
import type { ClaimRow, Tx } from "../db/schema.ts";
import { lowerClaimPayouts } from "../payments/index.ts";
import type { Ctx } from "../shared/context.ts";
import { AppError, NotFoundError, ValidationError } from "../shared/errors.ts";
import type { Cents } from "../shared/money.ts";
import {
  checkCover,
  checkLimit,
  contractualOf,
  coverRoom,
  lockClaim,
  lockedLimit,
  todayIn,
} from "./override-limit.ts";
import { updateClaim } from "./repository.ts";
import { type ExplanationStep, explained } from "./steps.ts";
import { insertDecision, limitUsage } from "./store.ts";

export interface OverrideInput {
  claimId: string;
  outcome: "approved" | "denied";
  payout: Cents;
  /** Mandatory: why the handler departs from the automatic decision; shown in the explanation. */
  reason: string;
  /** Pays beyond the cover (loss minus deductible, per-event and annual limit): an admin approves. */
  exGratia?: boolean;
}

/** Writes the override as the claim's next decision and moves the section's usage by the difference. */
async function applyOverride(
  tx: Tx,
  ctx: Ctx,
  claim: ClaimRow,
  o: {
    outcome: "approved" | "denied";
    payout: Cents;
    reason: string;
    exGratia: boolean;
    requestedBy: string;
    approvedBy: string | null;
  },
) {
  const lim = await lockedLimit(tx, ctx, claim);
  checkLimit(claim, o, lim);
  // Checked again under the usage row's lock: another claim may have used the room since.
  const split = checkCover(o, await coverRoom(tx, claim, lim));
  const { product } = lim.loaded;
  if (lim.key && split.contractual !== contractualOf(claim)) {
    await limitUsage(
      tx,
      ctx,
      claim.policy_id,
      lim.key,
      lim.used - contractualOf(claim) + split.contractual,
    ).execute();
  }
  const previous = await tx
    .selectFrom("claim_decisions")
    .select(["lines", "section", "policy_year_start"])
    .where("claim_id", "=", claim.id)
    .where("sequence", "=", claim.current_decision!)
    .executeTakeFirstOrThrow();
  const explanation: ExplanationStep[] = [
    explained("override", { outcome: o.outcome, payout: o.payout, note: o.reason }),
  ];
  if (split.exGratia > 0) {
    explanation.push(explained("ex_gratia", { cover: split.contractual, exGratia: split.exGratia }));
  }
  if (o.approvedBy) explanation.push(explained(o.exGratia ? "ex_gratia_approved" : "four_eyes_approved", {}));
  const sequence = claim.current_decision! + 1;
  const decidedOn = todayIn(ctx, product.timeZone);
  // Payouts already accrued for the claim follow a lowering, or refuse it if they are in a bank file.
  await lowerClaimPayouts(tx, ctx, {
    claimId: claim.id,
    claimNumber: claim.number,
    policyId: claim.policy_id,
    payout: o.outcome === "approved" ? o.payout : 0,
    exGratia: split.exGratia,
    decision: sequence,
    decidedOn,
  });
  await insertDecision(tx, ctx, {
    claimId: claim.id,
    policyId: claim.policy_id,
    sequence,
    kind: "override",
    outcome: o.outcome,
    payout: o.payout,
    exGratia: split.exGratia,
    reasons: ["override"],
    missing: [],
    lines: previous.lines,
    explanation,
    section: lim.key?.section ?? previous.section,
    policyYearStart: lim.key?.policyYearStart ?? previous.policy_year_start,
    productCode: product.code,
    productVersion: product.version,
    decidedOn,
    actor: o.requestedBy,
    reasonText: o.reason,
  }).execute();
  const updated = await updateClaim(tx, ctx, claim, {
    status: o.outcome,
    payout_cents: o.payout,
    ex_gratia_cents: split.exGratia,
    current_decision: sequence,
  });
  await recordAudit(tx, ctx, {
    action: "claim.overridden",
    entityType: "claim",
    entityId: claim.id,
    policyId: claim.policy_id,
    before: { status: claim.status, payout: claim.payout_cents, sequence: claim.current_decision },
    after: {
      status: o.outcome,
      payout: o.payout,
      exGratia: split.exGratia,
      sequence,
      reason: o.reason,
      requestedBy: o.requestedBy,
      approvedBy: o.approvedBy,
    },
  });
  return { claim: updated, sequence };
}

/**
 * A handler's override. Up to the four-eyes threshold it takes effect at once; above it, it is
 * stored as pending until a different handler approves it (reviewOverride).
 */
export async function requestOverride(tx: Tx, ctx: Ctx, input: OverrideInput, fourEyesAboveCents: Cents) {
  const reason = input.reason.trim();
  if (reason.length < 10)
    throw new ValidationError([
      { path: "reason", message: "explain the override in at least 10 characters" },
    ]);
  if (input.outcome === "denied" && input.payout !== 0)
    throw new ValidationError([{ path: "payout", message: "a denial pays 0" }]);
  const exGratia = input.exGratia === true;
  if (exGratia && input.outcome !== "approved")
    throw new ValidationError([{ path: "exGratia", message: "only a payout can be ex gratia" }]);
  const claim = await lockClaim(tx, input.claimId);
  const pending = await tx
    .selectFrom("claim_overrides")
    .select("id")
    .where("claim_id", "=", claim.id)
    .where("status", "=", "pending")
    .executeTakeFirst();
  if (pending)
    throw new AppError(
      "override_pending",
      `claim ${claim.number} already has an override waiting for approval`,
    );
  // An ex-gratia payment always waits for an admin; any other above the threshold for a second handler.
  const needsSecond = exGratia || (input.outcome === "approved" && input.payout > fourEyesAboveCents);
  const base = {
    claim_id: claim.id,
    policy_id: claim.policy_id,
    outcome: input.outcome,
    payout_cents: input.payout,
    reason_text: reason,
    requested_by: ctx.actor,
    requested_at: ctx.now,
    ex_gratia: exGratia,
  };
  if (needsSecond) {
    // Checked now for a clear answer; checked again under the lock when the approval applies it.
    const lim = await lockedLimit(tx, ctx, claim);
    checkLimit(claim, input, lim);
    checkCover({ ...input, exGratia }, await coverRoom(tx, claim, lim));
    const row = await tx
      .insertInto("claim_overrides")
      .values({
        ...base,
        status: "pending",
        reviewed_by: null,
        reviewed_at: null,
        review_note: null,
        decision_sequence: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, ctx, {
      action: "claim.override_requested",
      entityType: "claim",
      entityId: claim.id,
      policyId: claim.policy_id,
      after: { overrideId: row.id, outcome: input.outcome, payout: input.payout, reason },
    });
    return { override: row, claim };
  }
  const applied = await applyOverride(tx, ctx, claim, {
    ...input,
    exGratia,
    reason,
    requestedBy: ctx.actor,
    approvedBy: null,
  });
  const row = await tx
    .insertInto("claim_overrides")
    .values({
      ...base,
      status: "applied",
      reviewed_by: null,
      reviewed_at: ctx.now,
      review_note: null,
      decision_sequence: applied.sequence,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { override: row, claim: applied.claim };
}

/** The second handler's approval or rejection of a pending override; never by its requester. */
export async function reviewOverride(
  tx: Tx,
  ctx: Ctx,
  input: { overrideId: string; approve: boolean; note?: string | null; reviewerIsAdmin: boolean },
) {
  const found = await tx
    .selectFrom("claim_overrides")
    .select("claim_id")
    .where("id", "=", input.overrideId)
    .executeTakeFirst();
  if (!found) throw new NotFoundError("override", input.overrideId);
  const claim = await lockClaim(tx, found.claim_id);
  const o = await tx
    .selectFrom("claim_overrides")
    .selectAll()
    .where("id", "=", input.overrideId)
    .executeTakeFirstOrThrow();
  if (o.status !== "pending")
    throw new AppError("override_not_pending", `this override is already ${o.status}`);
  if (o.requested_by === ctx.actor)
    throw new AppError(
      "four_eyes_required",
      "an override above the threshold must be approved by a different handler",
    );
  if (o.ex_gratia && !input.reviewerIsAdmin)
    throw new AppError("ex_gratia_needs_admin", "an ex-gratia payment is approved or rejected by an admin");
  let sequence: number | null = null;
  let current = claim;
  if (input.approve) {
    const applied = await applyOverride(tx, ctx, claim, {
      outcome: o.outcome,
      payout: o.payout_cents,
      exGratia: o.ex_gratia,
      reason: o.reason_text,
      requestedBy: o.requested_by,
      approvedBy: ctx.actor,
    });
    sequence = applied.sequence;
    current = applied.claim;
  } else {
    await recordAudit(tx, ctx, {
      action: "claim.override_rejected",
      entityType: "claim",
      entityId: claim.id,
      policyId: claim.policy_id,
      after: { overrideId: o.id, note: input.note ?? null },
    });
  }
  const row = await tx
    .updateTable("claim_overrides")
    .set({
      status: input.approve ? "applied" : "rejected",
      reviewed_by: ctx.actor,
      reviewed_at: ctx.now,
      review_note: input.note ?? null,
      decision_sequence: sequence,
    })
    .where("id", "=", o.id)
    .where("status", "=", "pending")
    .returningAll()
    .executeTakeFirstOrThrow();
  return { override: row, claim: current };
}
