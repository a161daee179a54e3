import { type Kysely, sql } from "kysely";
import type { Database, Tx } from "../db/schema.ts";
import type { Ctx } from "../shared/context.ts";
import { type IsoDate, parseDate } from "../shared/dates.ts";
import { NotFoundError } from "../shared/errors.ts";
import { defaultedCharges, remindCharge } from "./charge-dunning.ts";
import type { BillingConfig } from "./config.ts";
import { remindReceivable } from "./receivable.ts";
import { invoiceByReference, invoiceKind, outstandingOf } from "./settle.ts";

export interface DunningResult {
  date: IsoDate;
  reminders: { reference: string; policyId: string; kind: string; amount: number; suspensionFrom: IsoDate }[];
}

/**
 * Invoices in default on `date`: returned by the bank, or open without a collection (bank transfer,
 * no mandate) after their due date; and not yet reminded. A direct debit still waiting for its
 * collection date is not in default: the billing run books it as collected.
 */
async function defaulted(db: Kysely<Database>, date: IsoDate) {
  const rows = await sql<{ reference: string }>`
    select i.reference from invoices i
    where (i.status = 'returned' and i.returned_on <= ${date}::date
           or i.status = 'open' and i.batch_id is null and i.due_date < ${date}::date)
      and not exists (select 1 from premium_reminders r
                      where r.policy_id = i.policy_id and r.invoice_period_start = i.period_start)
    order by i.policy_id, i.period_start`.execute(db);
  return rows.rows.map((r) => r.reference);
}

/**
 * `billing dunning --date D`: for each invoice in default, the reminder (NL) or formal notice (BE)
 * through recordPremiumReminder, linked to the invoice, and its letter in the outbox; then the same
 * for charges collected on their own (charge-dunning.ts). One
 * transaction per invoice; the one-reminder-per-invoice index makes a repeated run a no-op.
 */
export async function runDunning(
  db: Kysely<Database>,
  ctx: Ctx,
  opts: { date: string; config: BillingConfig },
): Promise<DunningResult> {
  const date = parseDate(opts.date, "date");
  const result: DunningResult = { date, reminders: [] };
  for (const reference of await defaulted(db, date)) {
    const made = await db.transaction().execute((tx) => remindInvoice(tx, ctx, reference, date, opts.config));
    if (made) result.reminders.push(made);
  }
  for (const reference of await defaultedCharges(db, date)) {
    const made = await db.transaction().execute((tx) => remindCharge(tx, ctx, reference, date, opts.config));
    if (made) result.reminders.push(made);
  }
  return result;
}

async function remindInvoice(tx: Tx, ctx: Ctx, reference: string, date: IsoDate, config: BillingConfig) {
  const inv = await invoiceByReference(tx, reference, { forUpdate: true });
  if (!inv) throw new NotFoundError("invoice", reference);
  // Re-checked under the row lock: a payment or another dunning run may have come first.
  if (inv.status === "paid" || inv.status === "cancelled") return null;
  const already = await tx
    .selectFrom("premium_reminders")
    .select("id")
    .where("policy_id", "=", inv.policy_id)
    .where("invoice_period_start", "=", inv.period_start)
    .executeTakeFirst();
  if (already) return null;
  const amount = await outstandingOf(tx, inv);
  if (amount <= 0) return null;
  return remindReceivable(tx, ctx, invoiceKind, {
    row: inv,
    amount,
    dueDate: inv.due_date,
    date,
    config,
  });
}
