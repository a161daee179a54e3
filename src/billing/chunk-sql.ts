import { type RawBuilder, sql } from "kysely";
import type { Tx } from "../db/schema.ts";
import type { HouseholdType } from "../products/schema.ts";
import type { Ctx } from "../shared/context.ts";
import type { IsoDate } from "../shared/dates.ts";
import type { ChunkRef, RunRef } from "./chunk.ts";
import type { BillingKey, InvoicePlanner, PlanRow } from "./chunk-plan.ts";
import type { SequenceType } from "./schedule.ts";

/**
 * The set-based half of a billing chunk. The database groups the chunk's policies into billing
 * keys, the planner (the domain rules, in TypeScript) prices the periods of each key once, and a
 * single INSERT … SELECT joins every policy to its key's periods: no per-policy rows cross the
 * wire, so a chunk costs about what its index maintenance costs.
 */

/** `column` within the chunk's policy id range [lo, hi); null bounds are open. */
export function idRange(column: string, chunk: ChunkRef): RawBuilder<boolean> {
  const parts = [sql<boolean>`true`];
  if (chunk.lo !== null) parts.push(sql<boolean>`${sql.ref(column)} >= ${chunk.lo}::uuid`);
  if (chunk.hi !== null) parts.push(sql<boolean>`${sql.ref(column)} < ${chunk.hi}::uuid`);
  return sql<boolean>`(${sql.join(parts, sql` and `)})`;
}

/**
 * The chunk's policies with what decides their billing, staged once per chunk in a temporary table
 * (dropped at commit) that both the key query and the insert read: `billed_through` is the end of
 * the last invoiced period (one backward probe of the invoice key per policy, the costliest part of
 * the read, so it is done once), else the start date; `special` policies have household changes or
 * schedule notices and are planned one by one. Mandates, endorsements and notices are read by the
 * same id range and joined as sets (a slice of their index each), not probed per policy. The
 * mandate's debtor data rides along for the pain.008 rows the insert hands back.
 */
const STAGE = sql.raw("billing_chunk_policies");

async function stagePolicies(tx: Tx, run: RunRef, chunk: ChunkRef): Promise<void> {
  // A range no invoice was ever issued in (a new portfolio's first run, or the newest policies:
  // ids are time-ordered, so new business fills the last chunks) needs no probe per policy.
  const billedBefore = await sql<{ policy_id: string }>`
    select i.policy_id from invoices i where ${idRange("i.policy_id", chunk)}
    order by i.policy_id limit 1`.execute(tx);
  const lastInvoice =
    billedBefore.rows.length > 0
      ? sql`left join lateral (
        select i.period_end, i.mandate_id from invoices i
        where i.policy_id = p.id order by i.period_start desc limit 1
      ) li on true`
      : sql`cross join (select null::date as period_end, null::uuid as mandate_id) li`;
  await sql`create temporary table ${STAGE} (
      id uuid, number text, product_code text, product_version int4, household text,
      start_date date, payment_frequency text, payment_method text, end_date date, mandate_id uuid,
      last_mandate_id uuid, billed_through date, direct bool, special bool, mandate_reference text,
      signed_on date, account_holder text, iban text, bic text, billing_key text
    ) on commit drop`.execute(tx);
  await sql`
    insert into ${STAGE}
    select p.id, p.number, p.product_code, p.product_version, p.household, p.start_date,
           p.payment_frequency, p.payment_method, p.end_date, m.id, li.mandate_id,
           greatest(li.period_end, p.start_date),
           (p.payment_method = 'sepa_direct_debit' and m.id is not null),
           s.policy_id is not null, m.reference, m.signed_on, m.account_holder, m.iban, m.bic,
           concat_ws(${KEY_SEPARATOR}, case when s.policy_id is not null then p.id::text else '-' end,
             p.product_code, p.product_version, p.household, to_char(p.start_date, 'YYYY-MM-DD'),
             p.payment_frequency, p.payment_method, coalesce(to_char(p.end_date, 'YYYY-MM-DD'), '-'),
             case when p.payment_method = 'sepa_direct_debit' and m.id is not null then 'direct' else 'other' end)
    from policies p
    ${lastInvoice}
    left join sepa_mandates m
      on m.policy_id = p.id and m.revoked_on is null and ${idRange("m.policy_id", chunk)}
    left join (
      select policy_id from policy_endorsements where ${idRange("policy_id", chunk)}
      union
      select policy_id from billing_schedule_notices where ${idRange("policy_id", chunk)}
    ) s on s.policy_id = p.id
    where ${idRange("p.id", chunk)}
      and greatest(li.period_end, p.start_date) <= ${run.runDate}::date
      and (p.end_date is null or greatest(li.period_end, p.start_date) < p.end_date)`.execute(tx);
}

// The columns a billing key is made of, joined into one text in the staging table: grouping and
// joining on one column costs the database a fraction of doing it on nine. Product codes,
// households, frequencies and methods are identifiers from the product data, never with a "|".
const KEY_SEPARATOR = "|";

function parseKey(key: string, billedFrom: IsoDate): Omit<BillingKey, "key_no"> {
  const [policy, product, version, household, start, frequency, method, end, direct] =
    key.split(KEY_SEPARATOR);
  return {
    policy_id: policy === "-" ? null : policy!,
    product_code: product!,
    product_version: Number(version),
    household: household!,
    start_date: start!,
    payment_frequency: frequency!,
    payment_method: method!,
    end_date: end === "-" ? null : end!,
    direct: direct === "direct",
    billed_from: billedFrom,
  };
}

/** The billing keys of the staged policies, in a stable order (key numbers are their positions). */
async function keysOf(tx: Tx): Promise<(BillingKey & { billing_key: string })[]> {
  const result = await sql<{ billing_key: string; billed_from: IsoDate }>`
    select billing_key, min(billed_through) as billed_from from ${STAGE} group by billing_key`.execute(tx);
  return result.rows
    .sort((a, b) => (a.billing_key < b.billing_key ? -1 : a.billing_key > b.billing_key ? 1 : 0))
    .map((r, key_no) => ({ ...parseKey(r.billing_key, r.billed_from), key_no, billing_key: r.billing_key }));
}

/**
 * Stages the chunk's policies and plans their keys' periods; household changes and notices are read
 * only for special keys. Runs in the chunk's transaction: the staging table lives until its commit.
 */
export async function planChunk(
  tx: Tx,
  planner: InvoicePlanner,
  run: RunRef,
  chunk: ChunkRef,
): Promise<{ keys: (BillingKey & { billing_key: string })[]; plan: PlanRow[] }> {
  await stagePolicies(tx, run, chunk);
  const keys = await keysOf(tx);
  if (keys.length === 0) return { keys, plan: [] };
  const special = keys.some((k) => k.policy_id !== null);
  const [endorsements, notices] = special
    ? await Promise.all([
        tx
          .selectFrom("policy_endorsements")
          .select(["policy_id", "effective_date", "household"])
          .where(idRange("policy_id", chunk))
          .orderBy("effective_date")
          .execute(),
        tx
          .selectFrom("billing_schedule_notices")
          .select(["policy_id", "year_start", "notified_on"])
          .where(idRange("policy_id", chunk))
          .execute(),
      ])
    : [[], []];
  const endorsementsOf = new Map<string, { effectiveDate: IsoDate; household: HouseholdType }[]>();
  for (const e of endorsements) {
    const list = endorsementsOf.get(e.policy_id) ?? [];
    list.push({ effectiveDate: e.effective_date, household: e.household as HouseholdType });
    endorsementsOf.set(e.policy_id, list);
  }
  const noticesOf = new Map<string, Map<IsoDate, IsoDate>>();
  for (const n of notices) {
    const map = noticesOf.get(n.policy_id) ?? new Map<IsoDate, IsoDate>();
    map.set(n.year_start, n.notified_on);
    noticesOf.set(n.policy_id, map);
  }
  const plan = keys.flatMap((k) =>
    k.policy_id === null
      ? planner.plan(k, [], undefined)
      : planner.plan(k, endorsementsOf.get(k.policy_id) ?? [], noticesOf.get(k.policy_id)),
  );
  return { keys, plan };
}

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
  keys: readonly (BillingKey & { billing_key: string })[],
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
