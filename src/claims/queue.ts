import { recordAudit } from "../audit/index.ts";
import type { Tx } from "../db/schema.ts";
import type { Ctx } from "../shared/context.ts";
import { AppError, NotFoundError, ValidationError } from "../shared/errors.ts";
import { updateClaim } from "./repository.ts";

export type QueueReason = "needs_information" | "referred" | "override_pending";

/**
 * What staff must act on, oldest first: claims waiting for information, claims referred to a
 * handler and claims with an override waiting for a second handler's approval.
 */
export async function claimsQueue(tx: Tx, input: { reason?: QueueReason; limit: number; offset: number }) {
  let q = tx
    .selectFrom("claims")
    .innerJoin("policies", "policies.id", "claims.policy_id")
    .leftJoin("claim_decisions", (j) =>
      j
        .onRef("claim_decisions.claim_id", "=", "claims.id")
        .onRef("claim_decisions.sequence", "=", "claims.current_decision"),
    )
    .leftJoin("claim_overrides", (j) =>
      j.onRef("claim_overrides.claim_id", "=", "claims.id").on("claim_overrides.status", "=", "pending"),
    );
  q =
    input.reason === "override_pending"
      ? q.where("claim_overrides.id", "is not", null)
      : input.reason
        ? q.where("claims.status", "=", input.reason)
        : q.where((eb) =>
            eb.or([
              eb("claims.status", "in", ["needs_information", "referred"]),
              eb("claim_overrides.id", "is not", null),
            ]),
          );
  const [rows, total] = await Promise.all([
    q
      .select([
        "claims.id",
        "claims.number",
        "claims.policy_id",
        "policies.number as policy_number",
        "claims.peril",
        "claims.status",
        "claims.incident_date",
        "claims.reported_date",
        "claims.payout_cents",
        "claims.updated_at",
        "claim_decisions.missing",
        "claim_overrides.id as pending_override_id",
        "claim_overrides.payout_cents as pending_payout_cents",
        "claim_overrides.requested_by as pending_requested_by",
      ])
      .orderBy("claims.updated_at")
      .orderBy("claims.id")
      .limit(input.limit)
      .offset(input.offset)
      .execute(),
    q.select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

/** Hands a claim to a claims handler (the helpline or a handler saw something the rules can't). */
export async function referClaim(tx: Tx, ctx: Ctx, input: { claimId: string; reason: string }) {
  const reason = input.reason.trim();
  if (reason.length < 5)
    throw new ValidationError([{ path: "reason", message: "say why in at least 5 characters" }]);
  const claim = await tx
    .selectFrom("claims")
    .selectAll()
    .where("id", "=", input.claimId)
    .forUpdate()
    .executeTakeFirst();
  if (!claim) throw new NotFoundError("claim", input.claimId);
  if (claim.status === "referred" || claim.status === "new")
    throw new AppError(
      "claim_not_open",
      `claim ${claim.number} is ${claim.status}; it can't be referred now`,
    );
  const referral = await tx
    .insertInto("claim_referrals")
    .values({
      claim_id: claim.id,
      policy_id: claim.policy_id,
      reason_text: reason,
      previous_status: claim.status,
      referred_by: ctx.actor,
      referred_at: ctx.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const updated = await updateClaim(tx, ctx, claim, { status: "referred" });
  await recordAudit(tx, ctx, {
    action: "claim.referred",
    entityType: "claim",
    entityId: claim.id,
    policyId: claim.policy_id,
    before: { status: claim.status },
    after: { status: "referred", reason, referralId: referral.id },
  });
  return { claim: updated, referral };
}
