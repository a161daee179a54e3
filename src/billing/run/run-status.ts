import type { Kysely } from "kysely";
import { sql } from "kysely";
import type { Database } from "../../db/schema.ts";
import type { RunRef } from "./chunk.ts";

/** Where a billing run stands, read from its chunks (and set-aside debits), never from invoices. */

export interface RunProgress {
  done: number;
  total: number;
}

export async function pendingChunks(db: Kysely<Database>, runId: number): Promise<number[]> {
  const rows = await db
    .selectFrom("billing_run_chunks")
    .select("chunk_no")
    .where("run_id", "=", runId)
    .where("done_at", "is", null)
    .orderBy("chunk_no")
    .execute();
  return rows.map((r) => r.chunk_no);
}

export async function chunkProgress(db: Kysely<Database>, runId: number): Promise<RunProgress> {
  const row = await sql<{ done: number; total: number }>`
    select count(*) filter (where done_at is not null)::int8 as done, count(*)::int8 as total
    from billing_run_chunks where run_id = ${runId}::int8`.execute(db);
  return row.rows[0]!;
}

/**
 * What the run has invoiced so far: the sum of its done chunks, each of which recorded its own
 * count in the transaction that inserted its invoices (nothing else inserts invoices of a run, and
 * an invoice's amount and mandate never change), so this never scans the invoices table.
 */
export async function allDone(db: Kysely<Database>, run: RunRef): Promise<void> {
  const left = await pendingChunks(db, run.id);
  if (left.length > 0) {
    throw new Error(
      `${left.length} chunks of billing run ${run.runDate} are not done; run it again to resume`,
    );
  }
}

export async function setAsideCount(db: Kysely<Database>, runId: number): Promise<number> {
  const row = await db
    .selectFrom("billing_set_aside")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("run_id", "=", runId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function runTotals(db: Kysely<Database>, runId: number) {
  const row = await sql<{ count: number; total: number; without_mandate: number }>`
    select coalesce(sum(invoices), 0)::int8 as count, coalesce(sum(amount_cents), 0)::int8 as total,
           coalesce(sum(without_mandate), 0)::int8 as without_mandate
    from billing_run_chunks where run_id = ${runId}::int8 and done_at is not null`.execute(db);
  const r = row.rows[0]!;
  return { count: r.count, total: r.total, withoutMandate: r.without_mandate };
}
