import type { Tx } from "../../db/schema.ts";
import type { Ctx } from "../../shared/context.ts";
import { type IsoDate, parseDate } from "../../shared/dates.ts";
import { NotFoundError } from "../../shared/errors.ts";
import type { Cents } from "../../shared/money.ts";
import { chargeByReference, chargeOutstanding, payCharge } from "./charge-settle.ts";
import { payReceivable, type Receivable, returnReceivable } from "./receivable.ts";

/** Invoice state changes driven by the bank (returns, credits) or by a payment recorded by hand. */

/**
 * An invoice by its reference, `<policy number>-<yyyymmdd of the period start>`: found through the
 * policy number and the invoice key, since the reference has no index of its own (migration 0008).
 * `forUpdate` locks the row.
 */
export async function invoiceByReference(tx: Tx, reference: string, opts: { forUpdate?: boolean } = {}) {
  const m = /^(.+)-(\d{4})(\d{2})(\d{2})$/.exec(reference);
  if (!m) return undefined;
  let periodStart: IsoDate;
  try {
    periodStart = parseDate(`${m[2]}-${m[3]}-${m[4]}`);
  } catch {
    return undefined;
  }
  const query = tx
    .selectFrom("invoices")
    .selectAll("invoices")
    .where("invoices.policy_id", "=", (eb) =>
      eb.selectFrom("policies").select("policies.id").where("policies.number", "=", m[1]!),
    )
    .where("invoices.period_start", "=", periodStart)
    .where("invoices.reference", "=", reference);
  return (opts.forUpdate ? query.forUpdate() : query).executeTakeFirst();
}

export type InvoiceRow = NonNullable<Awaited<ReturnType<typeof invoiceByReference>>>;

/**
 * What the policyholder still owes on an invoice: its amount less what was paid, plus credit notes
 * on its period. Refunds are paid out, and charges are receivable items of their own, collected by
 * `billing charges` (charges.ts). The same terms as `ledger check`.
 */
export async function outstandingOf(tx: Tx, inv: InvoiceRow): Promise<Cents> {
  const adj = await tx
    .selectFrom("billing_adjustments")
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>("amount_cents"), eb.lit(0)).as("amount"))
    .where("policy_id", "=", inv.policy_id)
    .where("period_start", "=", inv.period_start)
    .where("kind", "=", "credit_note")
    .executeTakeFirstOrThrow();
  return inv.amount_cents - inv.paid_cents + Number(adj.amount);
}

export type ReturnOutcome = "returned" | "already_returned";
export type PaymentOutcome = "paid" | "already_paid";

export const invoiceKind: Receivable<InvoiceRow> = {
  noun: "invoice",
  table: "invoices",
  key: (inv) => ({ policy_id: inv.policy_id, period_start: inv.period_start }),
  outstanding: outstandingOf,
  refusePay: (inv) =>
    inv.status === "cancelled" ? `invoice ${inv.reference} is cancelled; nothing is owed on it` : undefined,
  refuseReturn: (inv) =>
    inv.status === "cancelled" ? `invoice ${inv.reference} is cancelled and can't be returned` : undefined,
  debit: (inv) => `direct debit ${inv.reference}`,
  reminders: (inv) => ({ policy_id: inv.policy_id, invoice_period_start: inv.period_start }),
  premiumLink: (inv) => ({ invoicePeriodStart: inv.period_start }),
};

/** A direct debit of an invoice rejected or returned by the bank (receivable.ts). */
export function returnInvoice(
  tx: Tx,
  ctx: Ctx,
  input: { invoice: InvoiceRow; reason: string; returnedOn: IsoDate; source: string },
): Promise<ReturnOutcome> {
  return returnReceivable(tx, ctx, invoiceKind, { row: input.invoice, ...input });
}

/**
 * Money received for an invoice (a collection credited, a transfer by the policyholder, or a
 * payment recorded by hand); see receivable.ts.
 */
export function payInvoice(
  tx: Tx,
  ctx: Ctx,
  input: { invoice: InvoiceRow; amount: Cents; receivedOn: IsoDate; source: string },
): Promise<PaymentOutcome> {
  return payReceivable(tx, ctx, invoiceKind, { row: input.invoice, ...input });
}

/**
 * `billing pay`: a payment received outside the bank files (counter, another account), of an
 * invoice or of a charge collected on its own (its `<policy number>-C<id>` reference).
 */
export async function recordInvoicePayment(
  tx: Tx,
  ctx: Ctx,
  input: { reference: string; receivedOn: IsoDate; amount?: Cents | null },
) {
  const inv = await invoiceByReference(tx, input.reference, { forUpdate: true });
  if (!inv) {
    const charge = await chargeByReference(tx, input.reference, { forUpdate: true });
    if (!charge) throw new NotFoundError("invoice or charge", input.reference);
    return payCharge(tx, ctx, {
      charge,
      amount: input.amount ?? chargeOutstanding(charge),
      receivedOn: input.receivedOn,
      source: `payment:${charge.reference}:manual:${input.receivedOn}`,
    });
  }
  const amount = input.amount ?? (await outstandingOf(tx, inv));
  return payInvoice(tx, ctx, {
    invoice: inv,
    amount,
    receivedOn: input.receivedOn,
    source: `payment:${inv.reference}:manual:${input.receivedOn}`,
  });
}
