import { sql } from "kysely";
import { recordAudit } from "../audit/service.ts";
import type { Tx } from "../db/schema.ts";
import { postEntry } from "../ledger/post.ts";
import { recordPremiumPayment } from "../policies/premium-default.ts";
import type { Ctx } from "../shared/context.ts";
import { type IsoDate, parseDate } from "../shared/dates.ts";
import { AppError, NotFoundError } from "../shared/errors.ts";
import type { Cents } from "../shared/money.ts";
import { chargeByReference, chargeOutstanding, payCharge } from "./charge-settle.ts";

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

/**
 * A direct debit the bank rejected or returned. If it had been booked as collected, the collection
 * is reversed (Dr receivable / Cr bank); an invoice still open only changes status. `source` makes
 * the entry idempotent per bank file.
 */
export async function returnInvoice(
  tx: Tx,
  ctx: Ctx,
  input: { invoice: InvoiceRow; reason: string; returnedOn: IsoDate; source: string },
): Promise<ReturnOutcome> {
  const inv = input.invoice;
  if (inv.status === "returned") return "already_returned";
  if (inv.status === "cancelled") {
    throw new AppError("conflict", `invoice ${inv.reference} is cancelled and can't be returned`);
  }
  const updated = await tx
    .updateTable("invoices")
    .set({ status: "returned", paid_cents: 0, returned_on: input.returnedOn, return_reason: input.reason })
    .where("policy_id", "=", inv.policy_id)
    .where("period_start", "=", inv.period_start)
    .where("status", "=", inv.status)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) {
    throw new AppError("conflict", `invoice ${inv.reference} changed concurrently; retry`);
  }
  if (inv.paid_cents > 0) {
    await postEntry(tx, ctx, {
      postedOn: input.returnedOn,
      kind: "collection",
      source: input.source,
      policyId: inv.policy_id,
      description: `direct debit ${inv.reference} returned (${input.reason})`,
      lines: [
        { account: "premium_receivable", amount: inv.paid_cents },
        { account: "bank", amount: -inv.paid_cents },
      ],
    });
  }
  await recordAudit(tx, ctx, {
    action: "invoice.returned",
    entityType: "invoice",
    entityId: inv.reference,
    policyId: inv.policy_id,
    before: { status: inv.status, paid: inv.paid_cents },
    after: { status: "returned", reason: input.reason, returnedOn: input.returnedOn },
  });
  return "returned";
}

export type PaymentOutcome = "paid" | "already_paid";

/**
 * Money received for an invoice (a collection credited, a transfer by the policyholder, or a
 * payment recorded by hand): Dr bank / Cr receivable, the invoice paid. When the premium was in
 * default (returned, or reminded), the premium-default process hears of it through
 * recordPremiumPayment, which ends a suspension the day after `receivedOn`.
 */
export async function payInvoice(
  tx: Tx,
  ctx: Ctx,
  input: { invoice: InvoiceRow; amount: Cents; receivedOn: IsoDate; source: string },
): Promise<PaymentOutcome> {
  const inv = input.invoice;
  if (inv.status === "paid") return "already_paid";
  if (inv.status === "cancelled") {
    throw new AppError("conflict", `invoice ${inv.reference} is cancelled; nothing is owed on it`);
  }
  const owed = await outstandingOf(tx, inv);
  if (input.amount !== owed) {
    throw new AppError(
      "validation_failed",
      `amount ${input.amount} cents doesn't match invoice ${inv.reference}, which has ${owed} cents outstanding`,
    );
  }
  const updated = await tx
    .updateTable("invoices")
    .set({ status: "paid", paid_cents: inv.paid_cents + input.amount, settled_on: input.receivedOn })
    .where("policy_id", "=", inv.policy_id)
    .where("period_start", "=", inv.period_start)
    .where("status", "=", inv.status)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) {
    throw new AppError("conflict", `invoice ${inv.reference} changed concurrently; retry`);
  }
  await postEntry(tx, ctx, {
    postedOn: input.receivedOn,
    kind: "collection",
    source: input.source,
    policyId: inv.policy_id,
    description: `payment of invoice ${inv.reference}`,
    lines: [
      { account: "bank", amount: input.amount },
      { account: "premium_receivable", amount: -input.amount },
    ],
  });
  const reminded = await tx
    .selectFrom("premium_reminders")
    .select(sql<number>`count(*)::int4`.as("n"))
    .where("policy_id", "=", inv.policy_id)
    .where("invoice_period_start", "=", inv.period_start)
    .executeTakeFirstOrThrow();
  if (inv.status === "returned" || Number(reminded.n) > 0) {
    await recordPremiumPayment(tx, ctx, {
      policyId: inv.policy_id,
      receivedOn: input.receivedOn,
      amount: input.amount,
      reference: inv.reference,
      invoicePeriodStart: inv.period_start,
    });
  }
  await recordAudit(tx, ctx, {
    action: "invoice.paid",
    entityType: "invoice",
    entityId: inv.reference,
    policyId: inv.policy_id,
    before: { status: inv.status, paid: inv.paid_cents },
    after: { status: "paid", amount: input.amount, receivedOn: input.receivedOn },
  });
  return "paid";
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
