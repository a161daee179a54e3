import type { Kysely } from "kysely";
import { type RawBuilder, sql } from "kysely";
import type { Database, Tx } from "../db/schema.ts";
import type { HouseholdType } from "../products/schema.ts";
import type { Ctx } from "../shared/context.ts";
import type { IsoDate } from "../shared/dates.ts";
import type { ChunkRef, RunRef } from "./chunk.ts";
import type { BillingKey, InvoicePlanner, PlanRow } from "./chunk-plan.ts";

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
 * The chunk's policies with what decides their billing. `billed_through` is the end of the last
 * invoiced period (one backward probe of the invoice key per policy), else the start date;
 * `special` policies have household changes or schedule notices and are planned one by one.
 * Mandates, endorsements and notices are read by the same id range and joined as sets (a slice of
 * their index each), not probed per policy and never hashed whole.
 */
function policiesOf(run: RunRef, chunk: ChunkRef): RawBuilder<unknown> {
  return sql`
    select p.id, p.number, p.product_code, p.product_version, p.household, p.start_date,
           p.payment_frequency, p.payment_method, p.end_date, m.id as mandate_id,
           li.mandate_id as last_mandate_id,
           greatest(li.period_end, p.start_date) as billed_through,
           (p.payment_method = 'sepa_direct_debit' and m.id is not null) as direct,
           s.policy_id is not null as special
    from policies p
    left join lateral (
      select i.period_end, i.mandate_id from invoices i
      where i.policy_id = p.id order by i.period_start desc limit 1
    ) li on true
    left join sepa_mandates m
      on m.policy_id = p.id and m.revoked_on is null and ${idRange("m.policy_id", chunk)}
    left join (
      select policy_id from policy_endorsements where ${idRange("policy_id", chunk)}
      union
      select policy_id from billing_schedule_notices where ${idRange("policy_id", chunk)}
    ) s on s.policy_id = p.id
    where ${idRange("p.id", chunk)}
      and greatest(li.period_end, p.start_date) <= ${run.runDate}::date
      and (p.end_date is null or greatest(li.period_end, p.start_date) < p.end_date)`;
}

/** The billing keys of a chunk, in a stable order (key numbers are their positions). */
async function keysOf(db: Kysely<Database>, run: RunRef, chunk: ChunkRef): Promise<BillingKey[]> {
  const result = await sql<Omit<BillingKey, "key_no">>`
    with pol as (${policiesOf(run, chunk)})
    select case when special then id end as policy_id, product_code, product_version, household,
           start_date, payment_frequency, payment_method, end_date, direct,
           min(billed_through) as billed_from
    from pol
    group by 1, product_code, product_version, household, start_date, payment_frequency,
             payment_method, end_date, direct
    order by 1, product_code, product_version, household, start_date, payment_frequency,
             payment_method, end_date, direct`.execute(db);
  return result.rows.map((r, i) => ({ ...r, key_no: i }));
}

/** The chunk's keys and their priced periods; household changes and notices only for special keys. */
export async function planChunk(
  db: Kysely<Database>,
  planner: InvoicePlanner,
  run: RunRef,
  chunk: ChunkRef,
): Promise<{ keys: BillingKey[]; plan: PlanRow[] }> {
  const keys = await keysOf(db, run, chunk);
  if (keys.length === 0) return { keys, plan: [] };
  const special = keys.some((k) => k.policy_id !== null);
  const [endorsements, notices] = special
    ? await Promise.all([
        db
          .selectFrom("policy_endorsements")
          .select(["policy_id", "effective_date", "household"])
          .where(idRange("policy_id", chunk))
          .orderBy("effective_date")
          .execute(),
        db
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
}

/**
 * Inserts the chunk's invoices in one statement. A policy meets its key on every column, so one
 * changed since planning (cancelled, new mandate, first endorsement) matches nothing and is billed
 * by the next run instead of by a stale plan. Of a key's periods a policy takes those ending after
 * its billed-through date: the same periods `periodsDue` gives it alone. ON CONFLICT DO NOTHING on
 * the (policy, period) key keeps a concurrent run from billing a period twice.
 */
export async function insertInvoices(
  tx: Tx,
  ctx: Ctx,
  run: RunRef,
  chunk: ChunkRef,
  keys: readonly BillingKey[],
  plan: readonly (PlanRow & { batch_id: number | null })[],
): Promise<Totals> {
  if (plan.length === 0) return { count: 0, amount: 0, premium: 0, surcharge: 0, withoutMandate: 0 };
  const none = "00000000-0000-0000-0000-000000000000";
  // Each period carries its key's columns, so the database hash-joins policies to periods directly.
  const rows = plan.map((x) => {
    const k = keys[x.key_no]!;
    return { ...k, household_key: k.household, ...x };
  });
  const statement = (onConflict: RawBuilder<unknown>) => sql<Totals>`
    with plan as (
      select * from json_to_recordset(${JSON.stringify(rows)}::json) as x(policy_id uuid,
        product_code text, product_version int4, household_key text, start_date date,
        payment_frequency text, payment_method text, end_date date, direct bool,
        period_start date, period_end date, household text, premium_cents int8, surcharge_cents int8,
        amount_cents int8, collection_date date, batch_id int8, seq_first text, seq_next text)
    ), pol as materialized (${policiesOf(run, chunk)}
    ), keyed as (
      select pol.*, x.period_start, x.period_end, x.household as period_household, x.premium_cents,
             x.surcharge_cents, x.amount_cents, x.collection_date, x.batch_id, x.seq_first, x.seq_next
      from pol join plan x
        on coalesce(x.policy_id, ${none}::uuid) = case when pol.special then pol.id else ${none}::uuid end
        and x.product_code = pol.product_code and x.product_version = pol.product_version
        and x.household_key = pol.household and x.start_date = pol.start_date
        and x.payment_frequency = pol.payment_frequency and x.payment_method = pol.payment_method
        and coalesce(x.end_date, 'infinity'::date) = coalesce(pol.end_date, 'infinity'::date)
        and x.direct = pol.direct
      where x.period_end > pol.billed_through
    ), ins as (
      insert into invoices (policy_id, period_start, period_end, reference, run_id, issued_on, due_date,
        household, payment_method, premium_cents, surcharge_cents, amount_cents, collection_date,
        mandate_id, sequence_type, batch_id, created_at)
      select c.id, c.period_start, c.period_end, c.number || '-' || to_char(c.period_start, 'YYYYMMDD'),
        ${run.id}::int8, ${run.runDate}::date, c.period_start, c.period_household, c.payment_method,
        c.premium_cents, c.surcharge_cents, c.amount_cents, c.collection_date,
        case when c.direct then c.mandate_id end,
        case when not c.direct then null
             when c.period_start <= c.billed_through and c.last_mandate_id is distinct from c.mandate_id
               then c.seq_first
             else c.seq_next end,
        c.batch_id, ${ctx.now}::timestamptz
      from keyed c
      ${onConflict}
      returning amount_cents, premium_cents, surcharge_cents, payment_method, mandate_id
    )
    select count(*)::int8 as count, coalesce(sum(amount_cents), 0)::int8 as amount,
           coalesce(sum(premium_cents), 0)::int8 as premium,
           coalesce(sum(surcharge_cents), 0)::int8 as surcharge,
           count(*) filter (where payment_method = 'sepa_direct_debit' and mandate_id is null)::int8
             as "withoutMandate"
    from ins`;
  // A plain INSERT skips the speculative insertion of ON CONFLICT (a sixth of the run's time). It
  // only meets an existing period when another run billed the same policy concurrently; then the
  // savepoint undoes it and ON CONFLICT DO NOTHING inserts the rest, as if nothing had happened.
  await sql`savepoint billing_insert`.execute(tx);
  try {
    const result = await statement(sql``).execute(tx);
    await sql`release savepoint billing_insert`.execute(tx);
    return result.rows[0]!;
  } catch (e) {
    if ((e as { code?: unknown }).code !== "23505") throw e;
    await sql`rollback to savepoint billing_insert`.execute(tx);
    const result = await statement(sql`on conflict do nothing`).execute(tx);
    return result.rows[0]!;
  }
}
