import type { Tx } from "../db/schema.ts";
import { quote } from "../products/index.ts";
import type { Cents } from "../shared/money.ts";
import { householdOn } from "./cover.ts";
import type { LoadedPolicy } from "./repository.ts";
import type { InvoicedPaid } from "./service.ts";

/** The installment due for a period, priced by the household in force on the period's first day. */
export function installmentFor(loaded: LoadedPolicy, periodStart: string): Cents {
  const { policy, product, terms } = loaded;
  return quote(product, {
    household: householdOn(terms, periodStart),
    paymentFrequency: policy.payment_frequency,
    paymentMethod: policy.payment_method,
  }).installment;
}

/**
 * What the policyholder paid for an installment period: what billing recorded when the period was
 * invoiced; without billing records the premium is taken as collected, unless a premium reminder
 * for a due date in the period is still open.
 */
export async function paidForPeriod(
  tx: Tx,
  loaded: LoadedPolicy,
  period: { start: string; end: string },
  invoicedPaid: InvoicedPaid,
): Promise<Cents> {
  const invoiced = await invoicedPaid(tx, loaded.policy.id, period.start);
  if (invoiced !== null) return invoiced;
  const open = await tx
    .selectFrom("premium_reminders")
    .select("id")
    .where("policy_id", "=", loaded.policy.id)
    .where("settled_on", "is", null)
    .where("due_date", ">=", period.start)
    .where("due_date", "<", period.end)
    .executeTakeFirst();
  return open ? 0 : installmentFor(loaded, period.start);
}
