import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";

/**
 * The jobs module's one writer of `job_schedule`: the instant each scheduled job was last run
 * for, on the embedded database (graphile-worker keeps its own on PostgreSQL). One process owns
 * an embedded folder (src/db/embedded-lock.ts), so no lock is taken; the update still only moves
 * `last_due_at` forward, so a slow run finishing after a newer one cannot rewind it.
 */

export async function lastDue(db: Kysely<Database>, name: string): Promise<Date | null> {
  const row = await db
    .selectFrom("job_schedule")
    .select("last_due_at")
    .where("name", "=", name)
    .executeTakeFirst();
  return row ? new Date(row.last_due_at) : null;
}

export async function recordRun(
  db: Kysely<Database>,
  name: string,
  due: Date,
  ranAt: Date,
  summary: string,
): Promise<void> {
  await db
    .insertInto("job_schedule")
    .values({ name, last_due_at: due, last_run_at: ranAt, last_summary: summary })
    .onConflict((oc) =>
      oc
        .column("name")
        .doUpdateSet({ last_due_at: due, last_run_at: ranAt, last_summary: summary })
        .where("job_schedule.last_due_at", "<", due),
    )
    .execute();
}

export interface ScheduleRow {
  name: string;
  lastDueAt: Date;
  lastRunAt: Date;
  lastSummary: string;
}

export async function scheduleRows(db: Kysely<Database>): Promise<ScheduleRow[]> {
  const rows = await db.selectFrom("job_schedule").selectAll().orderBy("name").execute();
  return rows.map((r) => ({
    name: r.name,
    lastDueAt: new Date(r.last_due_at),
    lastRunAt: new Date(r.last_run_at),
    lastSummary: r.last_summary,
  }));
}
