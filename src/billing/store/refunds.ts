import type { Tx } from "../../db/schema.ts";
import type { IsoDate } from "../../shared/dates.ts";

/**
 * Billing's writer of a refund adjustment's payout marks, for payments: which credit-transfer
 * file carries the refund and when the bank executed it (null again when the transfer came back).
 * A refund's amount and kind never change here; only billing's reconciliation books them.
 */

export async function setRefundBatch(tx: Tx, adjustmentId: number, batchId: number): Promise<void> {
  await tx
    .updateTable("billing_adjustments")
    .set({ refund_batch_id: batchId })
    .where("id", "=", adjustmentId)
    .execute();
}

export async function setRefundedOn(tx: Tx, adjustmentId: number, on: IsoDate | null): Promise<void> {
  await tx
    .updateTable("billing_adjustments")
    .set({ refunded_on: on })
    .where("id", "=", adjustmentId)
    .execute();
}
