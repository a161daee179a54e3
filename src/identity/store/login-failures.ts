import type { Tx } from "../../db/schema.ts";
import type { FailureRecord, LoginBackoff } from "../login-backoff.ts";
import { tokenHash } from "../tokens.ts";

/**
 * The only code on `login_failures`. Locking rule: a login attempt first locks its address's row
 * (creating it when absent) and holds the lock until its transaction ends, so concurrent attempts
 * on one address are weighed one after another and none of them slips past the limit. Attempts on
 * different addresses never wait for each other.
 */

/** The row key: no e-mail address is stored in clear, known or not. */
export function emailHash(email: string): string {
  return tokenHash(`login:${email.trim().toLowerCase()}`);
}

/** Locks the address's row for this transaction; null when it had no failures recorded yet. */
export async function lockFailures(tx: Tx, hash: string, now: Date): Promise<FailureRecord | null> {
  // An upsert rather than SELECT … FOR UPDATE: an absent row cannot be locked, and the first
  // attempts on a new address must queue like the rest. A row created here with 0 failures is
  // deleted again by a successful login or rolled back with a failed transaction.
  const row = await tx
    .insertInto("login_failures")
    .values({ email_hash: hash, failures: 0, last_failed_at: now })
    .onConflict((oc) =>
      oc.column("email_hash").doUpdateSet((eb) => ({ failures: eb.ref("login_failures.failures") })),
    )
    .returning(["failures", "last_failed_at"])
    .executeTakeFirstOrThrow();
  return row.failures === 0 ? null : { failures: row.failures, lastFailedAt: row.last_failed_at };
}

export async function recordFailure(tx: Tx, hash: string, failures: number, now: Date): Promise<void> {
  await tx
    .updateTable("login_failures")
    .set({ failures, last_failed_at: now })
    .where("email_hash", "=", hash)
    .execute();
}

/** A successful login: this address starts over, and runs nobody will resume are dropped. */
export async function clearFailures(tx: Tx, hash: string, now: Date, p: LoginBackoff): Promise<void> {
  await tx.deleteFrom("login_failures").where("email_hash", "=", hash).execute();
  // SKIP LOCKED: a row another attempt holds is not waited for (two logins cleaning up each
  // other's rows would deadlock); a bounded batch keeps one login cheap.
  const stale = new Date(now.getTime() - p.forgetAfterSeconds * 1000);
  await tx
    .deleteFrom("login_failures")
    .where("email_hash", "in", (eb) =>
      eb
        .selectFrom("login_failures")
        .select("email_hash")
        .where("last_failed_at", "<", stale)
        .limit(100)
        .forUpdate()
        .skipLocked(),
    )
    .execute();
}

/** The records of these addresses' hashes (an erased login's). */
export async function deleteFailures(tx: Tx, hashes: readonly string[]): Promise<void> {
  if (hashes.length === 0) return;
  await tx.deleteFrom("login_failures").where("email_hash", "in", hashes).execute();
}
