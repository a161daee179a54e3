import type { Kysely } from "kysely";
import { sql } from "kysely";
import type { Database } from "../../db/schema.ts";
import type { IsoDate } from "../../shared/dates.ts";
import { AppError } from "../../shared/errors.ts";

/**
 * One billing run per run date at a time. Two invocations of the same run share its chunks, its
 * batches and its folder of body files: the second one would empty the first one's bodies and both
 * would write the same file (issue 10 item 2: a truncated pain.008 recorded as written).
 *
 * On PostgreSQL the lock is a session advisory lock keyed by the run date, held on a connection
 * reserved for the whole run: it holds across processes and machines (`--workers` bill chunks for
 * the coordinator that holds it), and a killed run's lock goes with its connection, so there is
 * nothing stale to clear. PGlite is one session, in which an advisory lock is re-entrant and so
 * excludes nothing; an embedded database belongs to the one process that opened it, so there the
 * process's own registry of running dates is the lock. Both are checked on PostgreSQL too (two runs
 * in one process would otherwise hold the same session lock twice, on two connections, which is
 * fine, but the registry refuses them faster).
 *
 * A second invocation is refused at once, naming the run that holds the date: it can't know how long
 * the first will take, and the operator can simply run it again after (the run resumes).
 */

// The first key of the two-key advisory lock: "BILL" in ASCII, so other locks of the platform
// (or of other applications on the server) keyed by a single bigint never meet it.
const LOCK_CLASS = 0x42494c4c;

const running = new WeakMap<Kysely<Database>, Set<IsoDate>>();

function dateKey(date: IsoDate): number {
  return Number(date.replaceAll("-", ""));
}

async function refusal(db: Kysely<Database>, runDate: IsoDate): Promise<AppError> {
  const run = await db
    .selectFrom("billing_runs")
    .select(["id", "started_at", "invoked_at"])
    .where("run_date", "=", runDate)
    .executeTakeFirst();
  const which = run
    ? ` (run ${run.id}, started ${(run.invoked_at ?? run.started_at).toISOString()})`
    : " (starting)";
  return new AppError(
    "conflict",
    `a billing run for ${runDate} is in progress${which}; wait for it to finish, then run it again if needed (it resumes where it stopped)`,
  );
}

/**
 * Runs `fn` holding the run date's lock, or refuses with a `conflict` when another invocation holds
 * it. `pooled`: the database serves several connections (PostgreSQL), so the advisory lock applies.
 */
export async function withRunLock<T>(
  db: Kysely<Database>,
  runDate: IsoDate,
  pooled: boolean,
  fn: () => Promise<T>,
): Promise<T> {
  const dates = running.get(db) ?? new Set<IsoDate>();
  running.set(db, dates);
  if (dates.has(runDate)) throw await refusal(db, runDate);
  dates.add(runDate);
  try {
    if (!pooled) return await fn();
    return await db.connection().execute(async (conn) => {
      const got = await sql<{ locked: boolean }>`
        select pg_try_advisory_lock(${LOCK_CLASS}::int4, ${dateKey(runDate)}::int4) as locked`.execute(conn);
      if (!got.rows[0]?.locked) throw await refusal(db, runDate);
      try {
        return await fn();
      } finally {
        await sql`select pg_advisory_unlock(${LOCK_CLASS}::int4, ${dateKey(runDate)}::int4)`.execute(conn);
      }
    });
  } finally {
    dates.delete(runDate);
  }
}
