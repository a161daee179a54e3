import { type RawBuilder, sql } from "kysely";
import type { Tx } from "../../db/schema.ts";
import type { Ctx } from "../../shared/context.ts";
import type { IsoDate } from "../../shared/dates.ts";
import type { RunRef } from "./chunk.ts";
import type { PlanRow } from "./chunk-plan.ts";
import { STAGE, type StagedKey } from "./chunk-stage.ts";
import { attachDebits, DEBIT_ROWS_ORDER, type DebitResultRow, debitRowsSql, groupKey } from "./debit-rows.ts";
import type { DebitGroup } from "./debits.ts";
import { remittanceTail, templateAmount } from "./pain008-sql/pain008-sql.ts";
import type { FileHeader } from "./pain008-sql/pain008-stream.ts";

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

/**
 * Inserts the chunk's invoices in one statement, from the staged policies. A policy meets its key on
 * every column. Of a key's periods a policy takes those ending after its billed-through date: the
 * same periods `periodsDue` gives it alone. The statement returns how many invoices each plan row
 * got (the totals are summed from the plan rows) and, when `creditor` is given (the caller writes
 * the files), the direct debits of each batch and sequence type as one text in file order, rendered
 * by the database (pain008-sql.ts), with the debtor data of those it could not render: the
 * pain.008 is written without reading the invoices back, and without a row per debit crossing the
 * wire.
 */
export async function insertInvoices(
  tx: Tx,
  ctx: Ctx,
  run: RunRef,
  keys: readonly StagedKey[],
  plan: readonly (PlanRow & { batch_id: number | null })[],
  creditor?: FileHeader["creditor"],
): Promise<{ totals: Totals; debits: DebitGroup[] }> {
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
    amount_text: templateAmount(x.amount_cents),
    remittance_tail: remittanceTail(x.period_start, x.period_end),
    plan_no,
  }));
  const debitRows = creditor ? debitRowsSql(creditor) : sql``;
  // `keyed` is computed twice (a hash join of the staged policies with a few dozen plan rows): the
  // insert reads it inlined, and `done`, which the counts and the debits read, materializes it. A
  // plain INSERT inserts every keyed row or fails, so `done` is `keyed` itself; only after ON
  // CONFLICT DO NOTHING are the rows matched with what was inserted (the planner, blind to the
  // CTE's size, would join the two by nested loop: quadratic in the chunk).
  const statement = (onConflict: RawBuilder<unknown>, inserted: RawBuilder<unknown>) => sql<DebitResultRow>`
    with plan as (
      select * from json_to_recordset(${JSON.stringify(rows)}::json) as x(plan_no int4,
        billing_key text, ref_suffix text, amount_text text, remittance_tail text, period_start date, period_end date, household text,
        premium_cents int8, surcharge_cents int8, amount_cents int8, collection_date date,
        batch_id int8, seq_first text, seq_next text)
    ), keyed as not materialized (
      select c.*, x.plan_no, x.period_start, x.period_end, x.household as period_household,
             x.premium_cents, x.surcharge_cents, x.amount_cents, x.collection_date, x.batch_id,
             x.ref_suffix, x.amount_text, x.remittance_tail,
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
    ), done as materialized (
      select * from keyed k ${inserted}
    )
    select 'n' as kind, d.plan_no, d.sequence_type, count(*)::int8 as n, null::int8 as batch_id,
           null::text as text, null::uuid as sort_id, null::date as period_start,
           null::date as period_end, null::int8 as amount_cents, null::text as number,
           null::text as mandate_reference, null::date as signed_on, null::text as account_holder,
           null::text as iban, null::text as bic
    from done d group by d.plan_no, d.sequence_type
    ${debitRows}
    ${DEBIT_ROWS_ORDER}`;
  // A plain INSERT skips the speculative insertion of ON CONFLICT (a sixth of the run's time). It
  // only meets an existing period when another run billed the same policy concurrently; then the
  // savepoint undoes it and ON CONFLICT DO NOTHING inserts the rest, as if nothing had happened.
  await sql`savepoint billing_insert`.execute(tx);
  let result: DebitResultRow[];
  try {
    result = (await statement(sql``, sql``).execute(tx)).rows;
    await sql`release savepoint billing_insert`.execute(tx);
  } catch (e) {
    if ((e as { code?: unknown }).code !== "23505") throw e;
    await sql`rollback to savepoint billing_insert`.execute(tx);
    result = (
      await statement(
        sql`on conflict do nothing`,
        sql`where (k.id, k.period_start) in (select policy_id, period_start from ins)`,
      ).execute(tx)
    ).rows;
  }
  // The counts make the groups; the texts and the debits left to Node then join their group.
  const groups = new Map<string, DebitGroup>();
  for (const r of result) {
    if (r.kind !== "n") continue;
    const x = rows[r.plan_no!]!;
    const n = r.n!;
    totals.count += n;
    totals.amount += n * x.amount_cents;
    totals.premium += n * x.premium_cents;
    totals.surcharge += n * x.surcharge_cents;
    if (x.batch_id === null || r.sequence_type === null) {
      const k = keys[x.key_no]!;
      if (k.payment_method === "sepa_direct_debit" && !k.direct) totals.withoutMandate += n;
      continue;
    }
    totals.debits += n;
    totals.debitAmount += n * x.amount_cents;
    if (totals.firstPeriod === null || x.period_start < totals.firstPeriod)
      totals.firstPeriod = x.period_start;
    const key = groupKey(x.batch_id, r.sequence_type);
    const g = groups.get(key) ?? {
      batch_id: x.batch_id,
      sequence_type: r.sequence_type,
      count: 0,
      total: 0,
      firstPeriod: x.period_start,
      texts: [],
      raw: [],
    };
    g.count += n;
    g.total += n * x.amount_cents;
    if (x.period_start < g.firstPeriod) g.firstPeriod = x.period_start;
    groups.set(key, g);
  }
  attachDebits(groups, result);
  const debits = creditor ? [...groups.values()] : [];
  return { totals, debits };
}
