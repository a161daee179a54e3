import type { Selectable } from "kysely";
import { holdsAny } from "../../db/contains.ts";
import type { Tx } from "../../db/schema.ts";
import type { ErasureScope } from "../../shared/erasure.ts";
import type { ApiTokensTable } from "../tables.ts";

/**
 * The only code on `api_tokens`. Locking rules: revocation is a compare-and-set on
 * `revoked_at is null` (a second revocation changes nothing); `lockToken` (FOR UPDATE) holds a
 * token while its revocation is decided, so an owner and an admin revoking one token at once
 * write one audit entry. `last_used_at` is written by a guarded UPDATE at most once a minute and
 * takes no lock a request waits for.
 */

export const TOKEN_VIEW_COLUMNS = [
  "id",
  "user_id",
  "label",
  "created_at",
  "last_used_at",
  "expires_at",
  "revoked_at",
] as const;

export type TokenViewRow = Pick<Selectable<ApiTokensTable>, (typeof TOKEN_VIEW_COLUMNS)[number]>;

export async function insertToken(
  tx: Tx,
  t: { tokenHash: string; userId: string; label: string; now: Date; expiresAt: Date },
) {
  return tx
    .insertInto("api_tokens")
    .values({
      token_hash: t.tokenHash,
      user_id: t.userId,
      label: t.label,
      created_at: t.now,
      expires_at: t.expiresAt,
      revoked_at: null,
    })
    .returning(["id", "label", "created_at", "expires_at"])
    .executeTakeFirstOrThrow();
}

export async function tokensOf(tx: Tx, userId: string): Promise<TokenViewRow[]> {
  return tx
    .selectFrom("api_tokens")
    .select(TOKEN_VIEW_COLUMNS)
    .where("user_id", "=", userId)
    .orderBy("created_at", "desc")
    .orderBy("id")
    .execute();
}

/** The token, locked; `ownerId` limits it to one user's tokens (null: anyone's, for an admin). */
export async function lockToken(tx: Tx, tokenId: string, ownerId: string | null) {
  let q = tx.selectFrom("api_tokens").select(TOKEN_VIEW_COLUMNS).where("id", "=", tokenId);
  if (ownerId !== null) q = q.where("user_id", "=", ownerId);
  return q.forUpdate().executeTakeFirst();
}

export async function tokenIdByHash(tx: Tx, tokenHash: string): Promise<string | undefined> {
  const row = await tx
    .selectFrom("api_tokens")
    .select("id")
    .where("token_hash", "=", tokenHash)
    .executeTakeFirst();
  return row?.id;
}

/** Compare-and-set: undefined when it was revoked already. */
export async function markRevoked(tx: Tx, tokenId: string, now: Date) {
  return tx
    .updateTable("api_tokens")
    .set({ revoked_at: now })
    .where("id", "=", tokenId)
    .where("revoked_at", "is", null)
    .returning([...TOKEN_VIEW_COLUMNS, "token_hash"])
    .executeTakeFirst();
}

/** Every live token of these users (disabling, erasure), with the hashes to evict. */
export async function revokeUserTokens(tx: Tx, userIds: readonly string[], now: Date) {
  if (userIds.length === 0) return [];
  return tx
    .updateTable("api_tokens")
    .set({ revoked_at: now })
    .where("user_id", "in", userIds)
    .where("revoked_at", "is", null)
    .returning(["id", "user_id", "label", "token_hash"])
    .execute();
}

export async function setUserTokenLabels(tx: Tx, userIds: readonly string[], label: string) {
  if (userIds.length === 0) return;
  await tx.updateTable("api_tokens").set({ label }).where("user_id", "in", userIds).execute();
}

/** Labels any user gave that name the erased party lose those values. */
export async function scrubTokenLabels(tx: Tx, scope: ErasureScope) {
  const named = await tx
    .selectFrom("api_tokens")
    .select(["id", "label"])
    .where(holdsAny("label", scope.identifying, "text"))
    .execute();
  for (const t of named) {
    await tx
      .updateTable("api_tokens")
      .set({ label: scope.identifying.text(t.label) })
      .where("id", "=", t.id)
      .execute();
  }
}

/** The live token's user, if the user may still log in. */
export async function tokenPrincipalRow(tx: Tx, tokenHash: string, now: Date) {
  return tx
    .selectFrom("api_tokens")
    .innerJoin("users", "users.id", "api_tokens.user_id")
    .select(["users.id", "users.role", "users.party_id", "users.email", "users.display_name"])
    .select(["api_tokens.id as token_id", "api_tokens.expires_at", "api_tokens.last_used_at"])
    .where("api_tokens.token_hash", "=", tokenHash)
    .where("api_tokens.revoked_at", "is", null)
    .where("api_tokens.expires_at", ">", now)
    .where("users.disabled_at", "is", null)
    .executeTakeFirst();
}

/** Guarded: writes only when the stored value is older than `before` (one writer per minute). */
export async function touchToken(tx: Tx, tokenId: string, now: Date, before: Date) {
  await tx
    .updateTable("api_tokens")
    .set({ last_used_at: now })
    .where("id", "=", tokenId)
    .where((eb) => eb.or([eb("last_used_at", "is", null), eb("last_used_at", "<", before)]))
    .execute();
}
