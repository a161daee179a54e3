import { type Kysely, sql } from "kysely";
import type { Database } from "../db/schema.ts";

/**
 * The metrics module's reads: aggregates over other modules' tables and graphile-worker's queue,
 * read-only and at scrape time, so no module has to count for the metrics. Each is one cheap
 * query: claims by status (an index-only count), the ledger's stored balances (one row per
 * account), the job queue (graphile-worker deletes finished jobs, so it holds only what waits or
 * failed). No locks are taken; a scrape sees committed data as of its statement.
 */

export async function claimsByStatus(db: Kysely<Database>): Promise<{ status: string; n: number }[]> {
  const r = await sql<{ status: string; n: number }>`
    select status, count(*)::int8 as n from claims group by status`.execute(db);
  return r.rows;
}

export async function ledgerBalances(db: Kysely<Database>): Promise<{ account: string; cents: number }[]> {
  const r = await sql<{ account: string; cents: number }>`
    select account, balance_cents::int8 as cents from ledger_balances`.execute(db);
  return r.rows;
}

export interface QueueRow {
  task: string;
  waiting: number;
  running: number;
  retrying: number;
  failed: number;
}

/** graphile-worker's jobs per task; empty where its schema does not exist (embedded, no worker yet). */
export async function jobQueue(db: Kysely<Database>): Promise<QueueRow[]> {
  const exists = await sql<{ t: string | null }>`
    select to_regclass('graphile_worker._private_jobs')::text as t`.execute(db);
  if (!exists.rows[0]?.t) return [];
  const r = await sql<QueueRow>`
    select t.identifier as task,
           count(*) filter (where j.locked_at is null and j.attempts = 0)::int8 as waiting,
           count(*) filter (where j.locked_at is not null)::int8 as running,
           count(*) filter (where j.locked_at is null and j.attempts > 0 and j.attempts < j.max_attempts)::int8 as retrying,
           count(*) filter (where j.attempts >= j.max_attempts)::int8 as failed
      from graphile_worker._private_jobs j
      join graphile_worker._private_tasks t on t.id = j.task_id
     group by t.identifier`.execute(db);
  return r.rows;
}

/** The names of the applied migrations (readiness: none of the code's may be missing). */
export async function appliedMigrations(db: Kysely<Database>): Promise<Set<string>> {
  const exists = await sql<{ t: string | null }>`select to_regclass('schema_migrations')::text as t`.execute(
    db,
  );
  if (!exists.rows[0]?.t) return new Set();
  const r = await sql<{ name: string }>`select name from schema_migrations`.execute(db);
  return new Set(r.rows.map((row) => row.name));
}
