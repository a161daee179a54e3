import { type RawBuilder, sql } from "kysely";
import type { Tx } from "../db/schema.ts";
import type { Ctx } from "../shared/context.ts";
import type { IsoDate } from "../shared/dates.ts";
import type { RunRef } from "./chunk.ts";
import type { PlanRow } from "./chunk-plan.ts";
import { STAGE, type StagedKey } from "./chunk-stage.ts";
import type { SequenceType } from "./schedule.ts";

/**
 * The insert half of a billing chunk: every staged policy joined to its key's priced periods in
 * one INSERT … SELECT, handing back what the pain.008 needs (chunk-stage.ts stages and plans).
 */

export interface Totals {
  count: number;
  amount: number;
  premium: number;
  surcharge: number;
  /** Direct-debit invoices without an active mandate: invoiced, in no file. */
  withoutMandate: number;
  /** Invoices collected in this run's files, their amount, and the earliest period among them. */
  debits: number;
  debitAmount: number;
  firstPeriod: IsoDate | null;
}

/** A debit as the pain.008 needs it, in the file's order within its batch and sequence type. */
export interface DebitRow {
  batch_id: number;
  sequence_type: SequenceType;
  policy_id: string;
  number: string;
  period_start: IsoDate;
  period_end: IsoDate;
  amount_cents: number;
  mandate_reference: string;
  signed_on: IsoDate;
  account_holder: string;
  iban: string;
  bic: string | null;
}

/** What the insert hands back per invoice: its plan row, and the debtor data if it is collected. */
interface InsertedRow {
  plan_no: number;
  policy_id: string;
  number: string;
  sequence_type: SequenceType | null;
  mandate_reference: string | null;
  signed_on: IsoDate | null;
  account_holder: string | null;
  iban: string | null;
  bic: string | null;
}

/**
 * Inserts the chunk's invoices in one statement, from the staged policies. A policy meets its key on
 * every column. Of a key's periods a policy takes those ending after its billed-through date: the
 * same periods `periodsDue` gives it alone. The statement returns each new invoice's plan row and,
 * for direct debits, the debtor data, in the file's order, so the pain.008 is rendered from what was
 * inserted without reading it back. The totals are summed from the plan rows.
 */
export async function insertInvoices(
  tx: Tx,
  ctx: Ctx,
  run: RunRef,
  keys: readonly StagedKey[],
  plan: readonly (PlanRow & { batch_id: number | null })[],
): Promise<{ totals: Totals; debits: DebitRow[] }> {
  const totals: Totals = {
    count: 0,
    amount: 0,
    premium: 0,
    surcharge: 0,
    withoutMandate: 0,
    debits: 0,
    debitAmount: 0,
    firstPeriod: null,
  };
  if (plan.length === 0) return { totals, debits: [] };
  // Each period carries its key, so the database hash-joins policies to periods on one column; and
  // the reference's date part, which Node formats once per period instead of the database per row.
  const rows = plan.map((x, plan_no) => ({
    ...x,
    billing_key: keys[x.key_no]!.billing_key,
    ref_suffix: `-${x.period_start.replaceAll("-", "")}`,
    plan_no,
  }));
  // `keyed` is computed twice (a hash join of the staged policies with a few dozen plan rows) rather
  // than materialized, which cost more than the join. A plain INSERT inserts every keyed row or
  // fails, so the rows are read from `keyed` directly; only after ON CONFLICT DO NOTHING are they
  // matched with what was inserted (the planner, blind to the CTE's size, would join the two by
  // nested loop: quadratic in the chunk).
  const statement = (onConflict: RawBuilder<unknown>, inserted: RawBuilder<unknown>) => sql<InsertedRow>`
    with plan as (
      select * from json_to_recordset(${JSON.stringify(rows)}::json) as x(plan_no int4,
        billing_key text, ref_suffix text, period_start date, period_end date, household text,
        premium_cents int8, surcharge_cents int8, amount_cents int8, collection_date date,
        batch_id int8, seq_first text, seq_next text)
    ), keyed as not materialized (
      select c.*, x.plan_no, x.period_start, x.period_end, x.household as period_household,
             x.premium_cents, x.surcharge_cents, x.amount_cents, x.collection_date, x.batch_id,
             x.ref_suffix,
             case when not c.direct then null
                  when x.period_start <= c.billed_through and c.last_mandate_id is distinct from c.mandate_id
                    then x.seq_first
                  else x.seq_next end as sequence_type
      from ${STAGE} c join plan x on x.billing_key = c.billing_key
      where x.period_end > c.billed_through
    ), ins as (
      insert into invoices (policy_id, period_start, period_end, reference, run_id, issued_on, due_date,
        household, payment_method, premium_cents, surcharge_cents, amount_cents, collection_date,
        mandate_id, sequence_type, batch_id, created_at)
      select c.id, c.period_start, c.period_end, c.number || c.ref_suffix,
        ${run.id}::int8, ${run.runDate}::date, c.period_start, c.period_household, c.payment_method,
        c.premium_cents, c.surcharge_cents, c.amount_cents, c.collection_date,
        case when c.direct then c.mandate_id end, c.sequence_type, c.batch_id, ${ctx.now}::timestamptz
      from keyed c
      ${onConflict}
      returning policy_id, period_start
    )
    select k.plan_no, k.id as policy_id, k.number, k.sequence_type,
           case when k.direct then k.mandate_reference end as mandate_reference,
           case when k.direct then k.signed_on end as signed_on,
           case when k.direct then k.account_holder end as account_holder,
           case when k.direct then k.iban end as iban,
           case when k.direct then k.bic end as bic
    from keyed k
    ${inserted}
    order by k.batch_id, k.sequence_type, k.id, k.period_start`;
  // A plain INSERT skips the speculative insertion of ON CONFLICT (a sixth of the run's time). It
  // only meets an existing period when another run billed the same policy concurrently; then the
  // savepoint undoes it and ON CONFLICT DO NOTHING inserts the rest, as if nothing had happened.
  await sql`savepoint billing_insert`.execute(tx);
  let inserted: InsertedRow[];
  try {
    inserted = (await statement(sql``, sql``).execute(tx)).rows;
    await sql`release savepoint billing_insert`.execute(tx);
  } catch (e) {
    if ((e as { code?: unknown }).code !== "23505") throw e;
    await sql`rollback to savepoint billing_insert`.execute(tx);
    inserted = (
      await statement(
        sql`on conflict do nothing`,
        sql`where (k.id, k.period_start) in (select policy_id, period_start from ins)`,
      ).execute(tx)
    ).rows;
  }
  const debits: DebitRow[] = [];
  for (const r of inserted) {
    const x = rows[r.plan_no]!;
    totals.count += 1;
    totals.amount += x.amount_cents;
    totals.premium += x.premium_cents;
    totals.surcharge += x.surcharge_cents;
    if (x.batch_id === null || r.sequence_type === null) {
      const k = keys[x.key_no]!;
      if (k.payment_method === "sepa_direct_debit" && !k.direct) totals.withoutMandate += 1;
      continue;
    }
    totals.debits += 1;
    totals.debitAmount += x.amount_cents;
    if (totals.firstPeriod === null || x.period_start < totals.firstPeriod)
      totals.firstPeriod = x.period_start;
    debits.push({
      batch_id: x.batch_id,
      sequence_type: r.sequence_type,
      policy_id: r.policy_id,
      number: r.number,
      period_start: x.period_start,
      period_end: x.period_end,
      amount_cents: x.amount_cents,
      mandate_reference: r.mandate_reference!,
      signed_on: r.signed_on!,
      account_holder: r.account_holder!,
      iban: r.iban!,
      bic: r.bic,
    });
  }
  return { totals, debits };
}
