import type { Kysely } from "kysely";
import { type RawBuilder, sql } from "kysely";
import { recordAudit } from "../audit/service.ts";
import type { Database, Tx } from "../db/schema.ts";
import { postEntry } from "../ledger/post.ts";
import type { HouseholdType } from "../products/schema.ts";
import type { Ctx } from "../shared/context.ts";
import type { IsoDate } from "../shared/dates.ts";
import { reconcilePolicyBilling } from "./adjustments.ts";
import type { InvoicePlanner, InvoiceRow, PolicyToBill } from "./chunk-plan.ts";

export interface RunRef {
  id: number;
  runDate: IsoDate;
}

export interface ChunkRef {
  chunkNo: number;
  lo: string | null;
  hi: string | null;
}

export interface ChunkResult {
  skipped: boolean;
  invoices: number;
  amount: number;
}

/** `column` within the chunk's policy id range [lo, hi); null bounds are open. */
export function idRange(column: string, chunk: ChunkRef): RawBuilder<boolean> {
  const parts = [sql<boolean>`true`];
  if (chunk.lo !== null) parts.push(sql<boolean>`${sql.ref(column)} >= ${chunk.lo}::uuid`);
  if (chunk.hi !== null) parts.push(sql<boolean>`${sql.ref(column)} < ${chunk.hi}::uuid`);
  return sql<boolean>`(${sql.join(parts, sql` and `)})`;
}

async function policiesToBill(tx: Tx, run: RunRef, chunk: ChunkRef): Promise<PolicyToBill[]> {
  const result = await sql<PolicyToBill>`
    select p.id, p.number, p.product_code, p.product_version, p.household, p.start_date,
           p.payment_frequency, p.payment_method, p.end_date,
           li.period_end as billed_through, li.mandate_id as last_mandate_id, m.id as mandate_id
    from policies p
    left join lateral (
      select i.period_end, i.mandate_id from invoices i
      where i.policy_id = p.id order by i.period_start desc limit 1
    ) li on true
    left join sepa_mandates m on m.policy_id = p.id and m.revoked_on is null
    where ${idRange("p.id", chunk)}
      and coalesce(li.period_end, p.start_date) <= ${run.runDate}::date
      and (p.end_date is null or coalesce(li.period_end, p.start_date) < p.end_date)
    order by p.id`.execute(tx);
  return result.rows;
}

/** Collection batches are created in their own short transaction so workers never queue on them. */
export async function ensureBatches(
  db: Kysely<Database>,
  ctx: Ctx,
  run: RunRef,
  dates: readonly IsoDate[],
): Promise<Map<IsoDate, number>> {
  const ids = new Map<IsoDate, number>();
  if (dates.length === 0) return ids;
  const compact = (d: string) => d.replaceAll("-", "");
  await db
    .insertInto("payment_batches")
    .values(
      dates.map((d) => ({
        kind: "direct_debit" as const,
        run_id: run.id,
        collection_date: d,
        message_id: `CP-DD-${compact(run.runDate)}-${compact(d)}`,
        created_at: ctx.now,
      })),
    )
    .onConflict((oc) => oc.columns(["run_id", "kind", "collection_date"]).doNothing())
    .execute();
  const rows = await db
    .selectFrom("payment_batches")
    .select(["id", "collection_date"])
    .where("run_id", "=", run.id)
    .where("kind", "=", "direct_debit")
    .where("collection_date", "in", [...dates])
    .execute();
  for (const r of rows) ids.set(r.collection_date, r.id);
  return ids;
}

async function plannedRows(
  db: Kysely<Database>,
  planner: InvoicePlanner,
  run: RunRef,
  chunk: ChunkRef,
): Promise<InvoiceRow[]> {
  const policies = await policiesToBill(db, run, chunk);
  if (policies.length === 0) return [];
  const [endorsements, notices] = await Promise.all([
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
  ]);
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
  return policies.flatMap((p) => planner.plan(p, endorsementsOf.get(p.id) ?? [], noticesOf.get(p.id)));
}

/** Policies of the chunk whose invoiced periods a cancellation or a household change may correct. */
async function changedPolicies(tx: Tx, chunk: ChunkRef): Promise<string[]> {
  const rows = await sql<{ id: string }>`
    select p.id from policies p
    where ${idRange("p.id", chunk)}
      and (p.end_date is not null or exists (select 1 from policy_endorsements e0 where e0.policy_id = p.id))
      and exists (
        select 1 from invoices i where i.policy_id = p.id and (
          (p.end_date is not null and i.period_end > p.end_date)
          or exists (
            select 1 from policy_endorsements e where e.policy_id = p.id
              and e.effective_date < i.period_end
              and (e.effective_date > i.period_start or e.created_at > i.created_at))))
    order by p.id`.execute(tx);
  return rows.rows.map((r) => r.id);
}

/**
 * Bills one chunk in one transaction: invoices (set-based, ON CONFLICT DO NOTHING on the one-per-
 * period key), settlement of collections whose date has come, corrections after policy changes,
 * summary ledger entries, and the chunk's done mark. A crash anywhere rolls all of it back; a chunk
 * that is already done is skipped, so re-runs and duplicate workers bill nothing twice.
 */
export async function processChunk(
  db: Kysely<Database>,
  ctx: Ctx,
  planner: InvoicePlanner,
  run: RunRef,
  chunk: ChunkRef,
): Promise<ChunkResult> {
  const done = await db
    .selectFrom("billing_run_chunks")
    .select("done_at")
    .where("run_id", "=", run.id)
    .where("chunk_no", "=", chunk.chunkNo)
    .executeTakeFirst();
  if (done?.done_at) return { skipped: true, invoices: 0, amount: 0 };
  const rows = await plannedRows(db, planner, run, chunk);
  const dates = [...new Set(rows.flatMap((r) => (r.collection_date ? [r.collection_date] : [])))].sort();
  const batches = await ensureBatches(db, ctx, run, dates);
  return db.transaction().execute(async (tx) => {
    const lock = await tx
      .selectFrom("billing_run_chunks")
      .select("done_at")
      .where("run_id", "=", run.id)
      .where("chunk_no", "=", chunk.chunkNo)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (lock.done_at) return { skipped: true, invoices: 0, amount: 0 };
    const issued = await insertInvoices(tx, ctx, run, rows, batches);
    const collected = await settleCollections(tx, run, chunk);
    for (const policyId of await changedPolicies(tx, chunk)) {
      await reconcilePolicyBilling(tx, ctx, policyId, run.runDate);
    }
    const source = `billing:${run.id}:${chunk.chunkNo}`;
    await postEntry(tx, ctx, {
      postedOn: run.runDate,
      kind: "invoices_issued",
      source: `${source}:issued`,
      description: `billing run ${run.runDate} chunk ${chunk.chunkNo}: ${issued.count} invoices`,
      lines: [
        { account: "premium_receivable", amount: issued.amount },
        { account: "premium_income", amount: -issued.premium },
        { account: "surcharge_income", amount: -issued.surcharge },
      ],
    });
    await postEntry(tx, ctx, {
      postedOn: run.runDate,
      kind: "collection",
      source: `${source}:collected`,
      description: `billing run ${run.runDate} chunk ${chunk.chunkNo}: ${collected.count} collections settled`,
      lines: [
        { account: "bank", amount: collected.amount },
        { account: "premium_receivable", amount: -collected.amount },
      ],
    });
    await tx
      .updateTable("billing_run_chunks")
      .set({ done_at: ctx.now, invoices: issued.count, amount_cents: issued.amount })
      .where("run_id", "=", run.id)
      .where("chunk_no", "=", chunk.chunkNo)
      .execute();
    if (issued.count > 0 || collected.count > 0) {
      await recordAudit(tx, ctx, {
        action: "billing.chunk_billed",
        entityType: "billing_run",
        entityId: String(run.id),
        after: { chunk: chunk.chunkNo, invoices: issued.count, amount: issued.amount, collected },
      });
    }
    return { skipped: false, invoices: issued.count, amount: issued.amount };
  });
}

interface Totals {
  count: number;
  amount: number;
  premium: number;
  surcharge: number;
}

async function insertInvoices(
  tx: Tx,
  ctx: Ctx,
  run: RunRef,
  rows: InvoiceRow[],
  batches: ReadonlyMap<IsoDate, number>,
): Promise<Totals> {
  if (rows.length === 0) return { count: 0, amount: 0, premium: 0, surcharge: 0 };
  const payload = JSON.stringify(
    rows.map((r) => ({
      ...r,
      batch_id: r.collection_date ? (batches.get(r.collection_date) ?? null) : null,
    })),
  );
  // One statement per chunk; json_to_recordset takes any number of rows in a single parameter.
  const result = await sql<Totals>`
    with ins as (
      insert into invoices (policy_id, period_start, period_end, reference, run_id, issued_on, due_date,
        household, payment_method, premium_cents, surcharge_cents, amount_cents, collection_date,
        mandate_id, sequence_type, batch_id, created_at)
      select x.policy_id, x.period_start, x.period_end, x.reference, ${run.id}::int8, ${run.runDate}::date,
        x.due_date, x.household, x.payment_method, x.premium_cents, x.surcharge_cents, x.amount_cents,
        x.collection_date, x.mandate_id, x.sequence_type, x.batch_id, ${ctx.now}::timestamptz
      from json_to_recordset(${payload}::json) as x(policy_id uuid, period_start date, period_end date,
        reference text, due_date date, household text, payment_method text, premium_cents int8,
        surcharge_cents int8, amount_cents int8, collection_date date, mandate_id uuid,
        sequence_type text, batch_id int8)
      on conflict do nothing
      returning amount_cents, premium_cents, surcharge_cents
    )
    select count(*)::int8 as count, coalesce(sum(amount_cents), 0)::int8 as amount,
           coalesce(sum(premium_cents), 0)::int8 as premium,
           coalesce(sum(surcharge_cents), 0)::int8 as surcharge
    from ins`.execute(tx);
  return result.rows[0]!;
}

/** A direct debit counts as paid on its collection date; a bank return (part 2) reverses it. */
async function settleCollections(tx: Tx, run: RunRef, chunk: ChunkRef) {
  const result = await sql<{ count: number; amount: number }>`
    with s as (
      update invoices set status = 'paid', paid_cents = amount_cents, settled_on = collection_date
      where ${idRange("policy_id", chunk)} and status = 'open' and batch_id is not null
        and collection_date <= ${run.runDate}::date
      returning amount_cents
    )
    select count(*)::int8 as count, coalesce(sum(amount_cents), 0)::int8 as amount from s`.execute(tx);
  return result.rows[0]!;
}
