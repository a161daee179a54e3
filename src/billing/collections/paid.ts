import type { Tx } from "../../db/schema.ts";
import type { IsoDate } from "../../shared/dates.ts";
import type { Cents } from "../../shared/money.ts";

/**
 * What was actually paid for an invoiced installment period, net of refunds already granted on it;
 * null when the period has no invoice (the caller then falls back on its own assumption).
 */
export async function paidForInvoicedPeriod(
  tx: Tx,
  policyId: string,
  periodStart: IsoDate,
): Promise<Cents | null> {
  const invoice = await tx
    .selectFrom("invoices")
    .select("paid_cents")
    .where("policy_id", "=", policyId)
    .where("period_start", "=", periodStart)
    .executeTakeFirst();
  if (!invoice) return null;
  const refunds = await tx
    .selectFrom("billing_adjustments")
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>("amount_cents"), eb.lit(0)).as("amount"))
    .where("policy_id", "=", policyId)
    .where("period_start", "=", periodStart)
    .where("kind", "=", "refund")
    .executeTakeFirstOrThrow();
  return Math.max(0, invoice.paid_cents + Number(refunds.amount));
}
