import { type Kysely, sql } from "kysely";
import type { Database, Tx } from "../db/schema.ts";
import { recordPremiumReminder } from "../policies/premium-default.ts";
import { loadPolicy } from "../policies/repository.ts";
import type { Ctx } from "../shared/context.ts";
import { type IsoDate, parseDate } from "../shared/dates.ts";
import { NotFoundError } from "../shared/errors.ts";
import { defaultedCharges, remindCharge } from "./charge-dunning.ts";
import type { BillingConfig } from "./config.ts";
import { premiumDefaultLetter } from "./letters.ts";
import { invoiceByReference, outstandingOf } from "./settle.ts";

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
  const { policy, product } = await loadPolicy(tx, ctx, inv.policy_id);
  const party = await tx
    .selectFrom("parties")
    .select("name")
    .where("id", "=", policy.party_id)
    .executeTakeFirstOrThrow();
  const { reminder } = await recordPremiumReminder(tx, ctx, {
    policyId: inv.policy_id,
    dueDate: inv.due_date,
    reminderDate: date,
    amount,
    invoicePeriodStart: inv.period_start,
  });
  const letter = premiumDefaultLetter({
    product,
    policyNumber: policy.number,
    recipient: party.name,
    reference: inv.reference,
    amount,
    periodStart: inv.period_start,
    periodEnd: inv.period_end,
    dueDate: inv.due_date,
    letterDate: date,
    returnReason: inv.status === "returned" ? inv.return_reason : null,
    payTo: { name: config.creditor.name, iban: config.creditor.iban },
  });
  await tx
    .insertInto("premium_letters")
    .values({
      policy_id: inv.policy_id,
      reminder_id: reminder.id,
      kind: letter.kind,
      language: letter.language,
      recipient: party.name,
      subject: letter.subject,
      body: letter.body,
      letter_date: date,
      suspension_from: letter.suspensionFrom,
      created_at: ctx.now,
      sent_at: null,
    })
    .execute();
  return {
    reference,
    policyId: inv.policy_id,
    kind: letter.kind,
    amount,
    suspensionFrom: letter.suspensionFrom,
  };
}
