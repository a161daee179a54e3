import { type Kysely, sql } from "kysely";
import type { Database, Tx } from "../../db/schema.ts";
import type { Ctx } from "../../shared/context.ts";
import { type IsoDate, parseDate } from "../../shared/dates.ts";
import { NotFoundError } from "../../shared/errors.ts";
import { remindArrears } from "../collections/receivable.ts";
import { invoiceByReference, invoiceKind, outstandingOf } from "../collections/settle.ts";
import type { BillingConfig } from "../config.ts";
import { defaultedCharges, remindCharge } from "./charge-dunning.ts";
import { dunnedPolicy } from "./dunning-scope.ts";

export interface DunningResult {
  date: IsoDate;
  reminders: { reference: string; policyId: string; kind: string; amount: number; suspensionFrom: IsoDate }[];
  /** Letters written: one per policy in arrears (and one per unpaid charge). */
  letters: number;
}

/**
 * Invoices in default on `date`: returned by the bank, or open without a collection (bank transfer,
 * no mandate) after their due date; and not yet reminded. A direct debit still waiting for its
 * collection date is not in default: the billing run books it as collected.
 */
async function defaulted(db: Kysely<Database>, date: IsoDate): Promise<Map<string, string[]>> {
  const rows = await sql<{ reference: string; policy_id: string }>`
    select i.reference, i.policy_id from invoices i
    join policies p on p.id = i.policy_id
    where (i.status = 'returned' and i.returned_on <= ${date}::date
           or i.status = 'open' and i.batch_id is null and i.due_date < ${date}::date)
      and ${dunnedPolicy(date)}
      and not exists (select 1 from premium_reminders r
                      where r.policy_id = i.policy_id and r.invoice_period_start = i.period_start)
    order by i.policy_id, i.period_start`.execute(db);
  const byPolicy = new Map<string, string[]>();
  for (const r of rows.rows) byPolicy.set(r.policy_id, [...(byPolicy.get(r.policy_id) ?? []), r.reference]);
  return byPolicy;
}

/**
 * `billing dunning --date D`: per policy in arrears, one reminder (NL) or formal notice (BE) letter
 * in the outbox naming every invoice in default, each invoice with its reminder row through
 * recordPremiumReminder; then the same for charges collected on their own (charge-dunning.ts).
 * Only policies whose premium the insurer collects and that have not ended (dunning-scope.ts).
 * One transaction per policy; the one-reminder-per-invoice index makes a repeated run a no-op.
 */
export async function runDunning(
  db: Kysely<Database>,
  ctx: Ctx,
  opts: { date: string; config: BillingConfig },
): Promise<DunningResult> {
  const date = parseDate(opts.date, "date");
  const result: DunningResult = { date, reminders: [], letters: 0 };
  for (const references of (await defaulted(db, date)).values()) {
    const made = await db
      .transaction()
      .execute((tx) => remindInvoices(tx, ctx, references, date, opts.config));
    result.reminders.push(...made);
    if (made.length > 0) result.letters++;
  }
  for (const reference of await defaultedCharges(db, date)) {
    const made = await db.transaction().execute((tx) => remindCharge(tx, ctx, reference, date, opts.config));
    result.reminders.push(...made);
    if (made.length > 0) result.letters++;
  }
  return result;
}

/** One policy's invoices in default, oldest first: one letter for all still unpaid. */
async function remindInvoices(tx: Tx, ctx: Ctx, references: string[], date: IsoDate, config: BillingConfig) {
  const items = [];
  for (const reference of references) {
    const inv = await invoiceByReference(tx, reference, { forUpdate: true });
    if (!inv) throw new NotFoundError("invoice", reference);
    // Re-checked under the row lock: a payment or another dunning run may have come first.
    if (inv.status === "paid" || inv.status === "cancelled") continue;
    const already = await tx
      .selectFrom("premium_reminders")
      .select("id")
      .where("policy_id", "=", inv.policy_id)
      .where("invoice_period_start", "=", inv.period_start)
      .executeTakeFirst();
    if (already) continue;
    const amount = await outstandingOf(tx, inv);
    if (amount > 0) items.push({ row: inv, amount, dueDate: inv.due_date });
  }
  return remindArrears(tx, ctx, invoiceKind, items, date, config);
}
