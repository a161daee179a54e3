import { recordAudit } from "../audit/index.ts";
import { setRefundedOn, settleBatch } from "../billing/index.ts";
import type { Tx } from "../db/schema.ts";
import { postEntry } from "../ledger/index.ts";
import type { Ctx } from "../shared/context.ts";
import type { IsoDate } from "../shared/dates.ts";
import { AppError } from "../shared/errors.ts";
import { executedSource, payableAccount } from "./payable.ts";
import { movePayout, type PayoutRow } from "./store.ts";

export async function payoutByEndToEndId(tx: Tx, endToEndId: string) {
  return tx.selectFrom("payouts").selectAll().where("end_to_end_id", "=", endToEndId).executeTakeFirst();
}

/**
 * The bank executed a transfer: Dr claims payable (refunds payable, overpayments) / Cr bank on the
 * execution date. A payout already executed is left alone, so a repeated confirmation changes nothing.
 */
export async function markPayoutExecuted(
  tx: Tx,
  ctx: Ctx,
  payout: PayoutRow,
  executedOn: IsoDate,
): Promise<"executed" | "already_executed"> {
  if (payout.status === "executed") return "already_executed";
  if (payout.status !== "exported") {
    throw new AppError("conflict", `payout ${payout.end_to_end_id} is ${payout.status}, not in a bank file`);
  }
  await movePayout(tx, payout, "exported", "executed", { executed_on: executedOn });
  await postEntry(tx, ctx, {
    postedOn: executedOn,
    kind: `${payout.kind}_payout`,
    source: executedSource(payout),
    policyId: payout.policy_id,
    description: `${payout.kind} payout ${payout.end_to_end_id} executed`,
    lines: [
      { account: payableAccount(payout.kind), amount: payout.amount_cents },
      { account: "bank", amount: -payout.amount_cents },
    ],
  });
  if (payout.adjustment_id !== null) {
    await setRefundedOn(tx, payout.adjustment_id, executedOn);
  }
  await settleBatchIfDone(tx, payout.batch_id);
  await recordAudit(tx, ctx, {
    action: "payout.executed",
    entityType: "payout",
    entityId: String(payout.id),
    policyId: payout.policy_id,
    after: { endToEndId: payout.end_to_end_id, amount: payout.amount_cents, executedOn },
  });
  return "executed";
}

export async function settleBatchIfDone(tx: Tx, batchId: number | null) {
  if (batchId === null) return;
  const open = await tx
    .selectFrom("payouts")
    .select("id")
    .where("batch_id", "=", batchId)
    .where("status", "=", "exported")
    .executeTakeFirst();
  if (!open) await settleBatch(tx, batchId);
}
