import type { Kysely } from "kysely";
import { sql } from "kysely";
import { recordAudit } from "../../audit/index.ts";
import type { Database, Tx } from "../../db/schema.ts";
import { postEntry } from "../../ledger/index.ts";
import type { Ctx } from "../../shared/context.ts";
import type { IsoDate } from "../../shared/dates.ts";
import { reconcilePolicyBilling } from "../adjustments.ts";
import { type DueBatches, ensureBatches } from "./batches.ts";
import type { InvoicePlanner } from "./chunk-plan.ts";
import { insertInvoices } from "./chunk-sql.ts";
import { idRange, planChunk } from "./chunk-stage.ts";
import type { DebitGroup } from "./debits.ts";
import type { FileHeader } from "./pain008-sql/pain008-stream.ts";

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

/**
 * Policies of the chunk whose invoiced periods a cancellation or a household change may correct:
 * the candidates (cancelled, or with endorsements, a hashed set of the chunk's slice) are few, so
 * the invoices are only probed for them.
 */
async function changedPolicies(tx: Tx, chunk: ChunkRef): Promise<string[]> {
  const rows = await sql<{ id: string }>`
    select p.id from policies p
    where ${idRange("p.id", chunk)}
      and (p.end_date is not null
           or p.id in (select e0.policy_id from policy_endorsements e0 where ${idRange("e0.policy_id", chunk)}))
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

export interface BilledChunk extends ChunkResult {
  /**
   * The chunk's new debits in file order (none when skipped, or without a creditor: the files read
   * those back).
   */
  debits: DebitGroup[];
}

export interface ChunkOptions {
  /** The run's creditor when this process writes the files: the debits then come back rendered. */
  creditor?: FileHeader["creditor"] | undefined;
  /**
   * Make new payment batches in a transaction of their own, committed at once, so a concurrent
   * chunk billing into the same collection date needn't wait for this one's commit. Only where the
   * database serves several connections (PostgreSQL): on PGlite the one connection is the chunk's.
   * A batch whose chunk then fails stays without debits, and a re-run fills it (its key is the run
   * and the date).
   */
  batchesApart?: boolean | undefined;
}

/**
 * Bills one chunk in one transaction: invoices (set-based, one per policy period by the primary
 * key), settlement of collections whose date has come, corrections after policy changes, summary
 * ledger entries, and the chunk's done mark. A crash anywhere rolls all of it back; a chunk that is
 * already done is skipped, so re-runs and duplicate workers bill nothing twice.
 */
export async function processChunk(
  db: Kysely<Database>,
  ctx: Ctx,
  planner: InvoicePlanner,
  run: RunRef,
  chunk: ChunkRef,
  due: DueBatches,
  opts: ChunkOptions = {},
): Promise<BilledChunk> {
  const skipped = { skipped: true, invoices: 0, amount: 0, debits: [] };
  const done = await db
    .selectFrom("billing_run_chunks")
    .select("done_at")
    .where("run_id", "=", run.id)
    .where("chunk_no", "=", chunk.chunkNo)
    .executeTakeFirst();
  if (done?.done_at) return skipped;
  return db.transaction().execute(async (tx) => {
    const lock = await tx
      .selectFrom("billing_run_chunks")
      .select("done_at")
      .where("run_id", "=", run.id)
      .where("chunk_no", "=", chunk.chunkNo)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (lock.done_at) return skipped;
    // The chunk's staged policies and planned rows are sorted and hashed in memory, not on disk.
    await sql`set local work_mem = '64MB'`.execute(tx);
    const { keys, plan } = await planChunk(tx, planner, run, chunk);
    const dates = [...new Set(plan.flatMap((r) => (r.collection_date ? [r.collection_date] : [])))].sort();
    const batches = await ensureBatches(opts.batchesApart ? db : tx, ctx, run, dates);
    const rows = plan.map((r) => ({
      ...r,
      batch_id: r.collection_date ? (batches.get(r.collection_date) ?? null) : null,
    }));
    const { totals: issued, debits } = await insertInvoices(tx, ctx, run, keys, rows, opts.creditor);
    const collected = await settleCollections(tx, run, chunk, due);
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
      .set({
        done_at: ctx.now,
        invoices: issued.count,
        amount_cents: issued.amount,
        without_mandate: issued.withoutMandate,
        debits: issued.debits,
        debit_cents: issued.debitAmount,
        first_period: issued.firstPeriod,
      })
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
    return { skipped: false, invoices: issued.count, amount: issued.amount, debits };
  });
}

/**
 * A direct debit counts as paid on its collection date; a bank return (part 2) reverses it. Only
 * the due batches' invoices of the chunk's range are touched, and the period bound keeps the scan of
 * the primary key from visiting every older invoice of those policies.
 */
async function settleCollections(tx: Tx, run: RunRef, chunk: ChunkRef, due: DueBatches) {
  if (due.ids.length === 0) return { count: 0, amount: 0 };
  const result = await sql<{ count: number; amount: number }>`
    with s as (
      update invoices set status = 'paid', paid_cents = amount_cents, settled_on = collection_date
      where ${idRange("policy_id", chunk)}
        and period_start >= ${due.firstPeriod ?? "-infinity"}::date
        and batch_id = any(${due.ids}::int8[]) and status = 'open'
        and collection_date <= ${run.runDate}::date
      returning amount_cents
    )
    select count(*)::int8 as count, coalesce(sum(amount_cents), 0)::int8 as amount from s`.execute(tx);
  return result.rows[0]!;
}
