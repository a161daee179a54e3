import { type Kysely, sql } from "kysely";
import type { Database, Tx } from "../../db/schema.ts";
import type { Ctx } from "../../shared/context.ts";
import { type IsoDate, minDate } from "../../shared/dates.ts";
import { chargeKind, chargeOutstanding } from "../collections/charge-settle.ts";
import { remindReceivable } from "../collections/receivable.ts";
import type { BillingConfig } from "../config.ts";
import { dunnedPolicy } from "./dunning-scope.ts";

/**
 * Charges in default on `date`, like invoices (dunning.ts): a debit returned by the bank, or a
 * payment request not paid by its due date; and not reminded yet (one reminder per charge).
 */
export async function defaultedCharges(db: Kysely<Database>, date: IsoDate): Promise<string[]> {
  const rows = await sql<{ reference: string }>`
    select c.reference from charge_collections c
    join policies p on p.id = c.policy_id
    where (c.status = 'returned' and c.returned_on <= ${date}::date
           or c.status = 'open' and c.method = 'transfer' and c.due_date < ${date}::date)
      and ${dunnedPolicy(date)}
      and not exists (select 1 from premium_reminders r where r.adjustment_id = c.adjustment_id)
    order by c.policy_id, c.adjustment_id`.execute(db);
  return rows.rows.map((r) => r.reference);
}

/** The reminder or formal notice for an unpaid charge, with its letter; null if nothing is due. */
export async function remindCharge(
  tx: Tx,
  ctx: Ctx,
  reference: string,
  date: IsoDate,
  config: BillingConfig,
) {
  const c = await tx
    .selectFrom("charge_collections as c")
    .innerJoin("billing_adjustments as a", "a.id", "c.adjustment_id")
    .innerJoin("invoices as i", (j) =>
      j.onRef("i.policy_id", "=", "a.policy_id").onRef("i.period_start", "=", "a.period_start"),
    )
    .selectAll("c")
    .select(["i.period_start", "i.period_end"])
    .where("c.reference", "=", reference)
    .forUpdate("c")
    .executeTakeFirstOrThrow();
  // Re-checked under the row lock: a payment or another dunning run may have come first.
  if (c.status === "paid") return [];
  const already = await tx
    .selectFrom("premium_reminders")
    .select("id")
    .where("adjustment_id", "=", c.adjustment_id)
    .executeTakeFirst();
  if (already) return [];
  const amount = chargeOutstanding(c);
  // A debit rejected before its collection date is in default from the rejection on.
  const dueDate = minDate(c.due_date, date);
  return remindReceivable(tx, ctx, chargeKind, { row: c, amount, dueDate, date, config });
}
