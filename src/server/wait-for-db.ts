import { type Db, pingDatabase } from "../db/connection.ts";

/** The connection failures that may pass: the database is starting, restarting or moving. */
const TRANSIENT = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ETIMEDOUT",
  "ECONNRESET",
  "EAI_AGAIN",
]);
/** PostgreSQL's own "not yet": starting up (57P03), too many connections (53300). */
const NOT_YET = new Set(["57P03", "53300"]);

/** The transient connection failure behind an error (also inside an AggregateError), or null. */
export function transientFailure(e: unknown): string | null {
  const parts = e instanceof AggregateError ? [e, ...e.errors] : [e];
  for (const part of parts) {
    const { code, message } = (part ?? {}) as { code?: unknown; message?: unknown };
    if (typeof code === "string" && (TRANSIENT.has(code) || NOT_YET.has(code)))
      return typeof message === "string" ? message : code;
  }
  return null;
}

/** Waits between attempts: 1 s doubling to 16 s (pure). */
export function retryDelayMs(attempt: number): number {
  return Math.min(16_000, 1000 * 2 ** Math.min(attempt, 4));
}

/**
 * Until the database answers or `waitSeconds` have passed: a database that is not up yet (the
 * server and PostgreSQL started together) is one clear line per attempt on stderr and a retry
 * with backoff, never a stack trace. Any other failure (a wrong password, a missing database)
 * is thrown at once: waiting would not mend it.
 */
export async function waitForDatabase(
  db: Db,
  opts: { waitSeconds: number; say?: (line: string) => void; sleep?: (ms: number) => Promise<void> },
): Promise<void> {
  const say = opts.say ?? ((line: string) => process.stderr.write(`${line}\n`));
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = Date.now() + opts.waitSeconds * 1000;
  for (let attempt = 0; ; attempt++) {
    try {
      await pingDatabase(db.kysely);
      if (attempt > 0) say("cyberpolis: the database answers; starting");
      return;
    } catch (e) {
      const why = transientFailure(e);
      const delay = retryDelayMs(attempt);
      if (!why || Date.now() + delay > deadline) throw e;
      say(`cyberpolis: cannot reach the database (${why}); retrying in ${delay / 1000} s`);
      await sleep(delay);
    }
  }
}
