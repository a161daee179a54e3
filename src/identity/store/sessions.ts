import type { Tx } from "../../db/schema.ts";

/**
 * The only code on `sessions`. Locking rules: none are taken. A session row is written once
 * (login) and deleted (logout, expiry, password reset, disabling, erasure); a request that
 * resolves a session being deleted concurrently sees it or not, and the principal cache's
 * tombstones (principal-cache.ts) keep a deleted one from being cached again.
 */

export async function insertSession(
  tx: Tx,
  s: { tokenHash: string; userId: string; csrfToken: string; now: Date; expiresAt: Date },
) {
  await tx
    .insertInto("sessions")
    .values({
      token_hash: s.tokenHash,
      user_id: s.userId,
      csrf_token: s.csrfToken,
      created_at: s.now,
      expires_at: s.expiresAt,
    })
    .execute();
}

/** Expired sessions of a user, removed at each login so the table does not grow without bound. */
export async function deleteExpiredSessions(tx: Tx, userId: string, now: Date) {
  await tx.deleteFrom("sessions").where("user_id", "=", userId).where("expires_at", "<", now).execute();
}

export async function deleteSession(tx: Tx, tokenHash: string) {
  await tx.deleteFrom("sessions").where("token_hash", "=", tokenHash).execute();
}

/** Every session of these users: a password reset, a disabled login, an erasure. */
export async function deleteUserSessions(tx: Tx, userIds: readonly string[]): Promise<number> {
  if (userIds.length === 0) return 0;
  const r = await tx.deleteFrom("sessions").where("user_id", "in", userIds).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** The live session's user, if the user may still log in. */
export async function sessionPrincipalRow(tx: Tx, tokenHash: string, now: Date) {
  return tx
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .select(["users.id", "users.role", "users.party_id", "users.email", "users.display_name"])
    .select(["sessions.csrf_token", "sessions.expires_at"])
    .where("sessions.token_hash", "=", tokenHash)
    .where("sessions.expires_at", ">", now)
    .where("users.disabled_at", "is", null)
    .executeTakeFirst();
}
