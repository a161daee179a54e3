import { paidForInvoicedPeriod, reconcilePolicyBilling } from "../billing/index.ts";
import type { Tx } from "../db/schema.ts";
import { type CancelResult, cancelPolicy } from "../policies/index.ts";
import type { Ctx } from "../shared/context.ts";
import type { IsoDate } from "../shared/dates.ts";

/**
 * A cancellation with its premium refund, in one transaction and in this order:
 * 1. policies: the end date and the pro-rata refund of the unused days, from what billing says
 *    was paid for the period (`paidForInvoicedPeriod`);
 * 2. billing: the invoiced periods corrected to the new end (refund payable, credit note).
 */
export async function cancelPolicyWithBilling(
  tx: Tx,
  ctx: Ctx,
  input: { policyId: string; requestedOn: IsoDate; effective: IsoDate },
): Promise<CancelResult> {
  const result = await cancelPolicy(tx, ctx, input, paidForInvoicedPeriod);
  await reconcilePolicyBilling(tx, ctx, input.policyId);
  return result;
}
