import type { Kysely } from "kysely";
import type { Database, Tx } from "./schema.ts";

/**
 * PostgreSQL aborts one side of a deadlock (40P01) and, under REPEATABLE READ or SERIALIZABLE, a
 * transaction that lost a race (40001). Neither is the caller's fault and both succeed when the
 * whole transaction runs again, so the request's runner retries them instead of answering 500
 * (Formance's `forgeLog` does the same). Everything the work does must be inside `tx`: a retry
 * replays it from the start on a rolled-back database.
 */
const RETRYABLE = new Set(["40001", "40P01"]);

export const DEFAULT_ATTEMPTS = 5;

export function isRetryableConflict(e: unknown): boolean {
  for (let cause: unknown = e, depth = 0; cause && depth < 5; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === "string" && RETRYABLE.has(code)) return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}

export async function inTransaction<T>(
  db: Kysely<Database>,
  work: (tx: Tx) => Promise<T>,
  opts: { attempts?: number; onRetry?: (attempt: number, e: unknown) => void } = {},
): Promise<T> {
  const attempts = opts.attempts ?? DEFAULT_ATTEMPTS;
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(work);
    } catch (e) {
      if (attempt >= attempts || !isRetryableConflict(e)) throw e;
      opts.onRetry?.(attempt, e);
      // Jittered, growing pause so the two sides of a deadlock don't meet again at once.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * 2 ** attempt));
    }
  }
}
