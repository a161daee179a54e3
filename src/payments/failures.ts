import { recordAudit } from "../audit/index.ts";
import { setRefundedOn } from "../billing/index.ts";
import type { Tx } from "../db/schema.ts";
import { postEntry } from "../ledger/index.ts";
import type { Ctx } from "../shared/context.ts";
import type { IsoDate } from "../shared/dates.ts";
import { AppError } from "../shared/errors.ts";
import type { Cents } from "../shared/money.ts";
import { payableAccount } from "./payable.ts";
import { movePayout, type PayoutRow } from "./store.ts";

/**
 * Reasons that say the payee's account is wrong (ISO external status/return reason codes): such a
 * payout goes out again only after `payments iban` set an account after the failure. Every other
 * reason (a bank's technical or regulatory refusal, NARR…) goes out again with the next export.
 */
export const ACCOUNT_REASONS: ReadonlySet<string> = new Set([
  "AC01", // incorrect account number
  "AC03", // invalid creditor account number
  "AC04", // closed account
  "AC06", // blocked account
  "AC13", // invalid debtor account type
  "AG01", // transaction forbidden on this account
  "BE04", // missing creditor address
  "MD07", // end customer deceased
  "RC01", // BIC incorrect
  "RR01", // missing debtor account or identification
]);

export function isAccountReason(reason: string | null): boolean {
  return reason !== null && ACCOUNT_REASONS.has(reason);
}

/** `CL-00000001-1-A2` → `CL-00000001-1`: the EndToEndId a payout had in its first file. */
export function baseEndToEndId(endToEndId: string): string {
  return endToEndId.replace(/-A\d+$/, "");
}

/** The EndToEndId of a payout's next bank file: unique because its base is and attempts only grow. */
export function nextEndToEndId(payout: { end_to_end_id: string; attempt: number }): string {
  return `${baseEndToEndId(payout.end_to_end_id)}-A${payout.attempt + 1}`;
}

/** A failed attempt of an earlier file, for reports that arrive after the payout went out again. */
export async function pastAttempt(tx: Tx, endToEndId: string) {
  return tx
    .selectFrom("payout_attempts")
    .selectAll()
    .where("end_to_end_id", "=", endToEndId)
    .executeTakeFirst();
}

async function recordFailure(
  tx: Tx,
  ctx: Ctx,
  payout: PayoutRow,
  outcome: "rejected" | "returned",
  reason: string,
  on: IsoDate,
) {
  await tx
    .insertInto("payout_attempts")
    .values({
      payout_id: payout.id,
      attempt: payout.attempt,
      end_to_end_id: payout.end_to_end_id,
      batch_id: payout.batch_id,
      amount_cents: payout.amount_cents,
      outcome,
      reason,
      failed_on: on,
      created_at: ctx.now,
    })
    .execute();
  await movePayout(tx, payout, payout.status, outcome, { reject_reason: reason, failed_at: ctx.now });
}

/**
 * The bank rejected a transfer before executing it (pain.002 RJCT): nothing moved, so nothing is
 * booked; the payout stays owed (claims/refunds payable, overpayments keep it) and goes out again
 * under a new EndToEndId with the next export (after a corrected account for an account reason).
 */
export async function markPayoutRejected(
  tx: Tx,
  ctx: Ctx,
  payout: PayoutRow,
  reason: string,
  on: IsoDate,
): Promise<"rejected" | "already_rejected"> {
  if (payout.status === "rejected") return "already_rejected";
  if (payout.status !== "exported") {
    throw new AppError(
      "conflict",
      `payout ${payout.end_to_end_id} is ${payout.status} and can't be rejected`,
    );
  }
  await recordFailure(tx, ctx, payout, "rejected", reason, on);
  await recordAudit(tx, ctx, {
    action: "payout.rejected",
    entityType: "payout",
    entityId: String(payout.id),
    policyId: payout.policy_id,
    after: { endToEndId: payout.end_to_end_id, attempt: payout.attempt, reason },
  });
  return "rejected";
}

/**
 * The payee's bank sent an executed transfer back (camt.054 credit with return information): the
 * money is on our account again (Dr bank / Cr the payable it was paid from), the payout is owed
 * again and goes out like a rejected one. A return of a transfer whose execution was not reported
 * yet books the execution first, so the two bank movements both appear in the ledger.
 */
export async function markPayoutReturned(
  tx: Tx,
  ctx: Ctx,
  payout: PayoutRow,
  input: { reason: string; returnedOn: IsoDate; amount: Cents; source: string },
): Promise<"returned" | "already_returned"> {
  if (payout.status === "returned") return "already_returned";
  if (payout.status !== "executed" && payout.status !== "exported") {
    throw new AppError(
      "conflict",
      `payout ${payout.end_to_end_id} is ${payout.status}; only a transfer the bank executed can come back`,
    );
  }
  const payable = payableAccount(payout.kind);
  if (payout.status === "exported") {
    await postEntry(tx, ctx, {
      postedOn: input.returnedOn,
      kind: `${payout.kind}_payout`,
      source: `payout:${payout.id}:executed`,
      policyId: payout.policy_id,
      description: `${payout.kind} payout ${payout.end_to_end_id} executed (reported by its return)`,
      lines: [
        { account: payable, amount: payout.amount_cents },
        { account: "bank", amount: -payout.amount_cents },
      ],
    });
  }
  await postEntry(tx, ctx, {
    postedOn: input.returnedOn,
    kind: `${payout.kind}_payout_returned`,
    source: input.source,
    policyId: payout.policy_id,
    description: `${payout.kind} payout ${payout.end_to_end_id} returned (${input.reason})`,
    lines: [
      { account: "bank", amount: input.amount },
      { account: payable, amount: -input.amount },
    ],
  });
  await recordFailure(tx, ctx, payout, "returned", input.reason, input.returnedOn);
  if (payout.adjustment_id !== null) {
    await setRefundedOn(tx, payout.adjustment_id, null);
  }
  await recordAudit(tx, ctx, {
    action: "payout.returned",
    entityType: "payout",
    entityId: String(payout.id),
    policyId: payout.policy_id,
    before: { status: payout.status },
    after: {
      endToEndId: payout.end_to_end_id,
      attempt: payout.attempt,
      reason: input.reason,
      returnedOn: input.returnedOn,
    },
  });
  return "returned";
}
