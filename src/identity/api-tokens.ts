import type { Selectable } from "kysely";
import { recordAudit } from "../audit/index.ts";
import type { Tx } from "../db/schema.ts";
import type { Ctx } from "../shared/context.ts";
import { NotFoundError } from "../shared/errors.ts";
import { evictToken } from "./principal-cache.ts";
import type { Role } from "./roles.ts";
import type { ApiTokensTable } from "./tables.ts";
import { DEFAULT_TOKEN_LIFETIME, type TokenLifetime, tokenExpiry } from "./token-lifetime.ts";
import { newToken, tokenHash } from "./tokens.ts";

/** A token as its owner and admins see it: never the secret, which is shown once at creation. */
export interface ApiTokenView {
  id: string;
  userId: string;
  label: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date;
  revokedAt: Date | null;
}

const VIEW_COLUMNS = [
  "id",
  "user_id",
  "label",
  "created_at",
  "last_used_at",
  "expires_at",
  "revoked_at",
] as const;

type ViewRow = Pick<Selectable<ApiTokensTable>, (typeof VIEW_COLUMNS)[number]>;

function view(r: ViewRow): ApiTokenView {
  return {
    id: r.id,
    userId: r.user_id,
    label: r.label,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
  };
}

/** API tokens for programmatic clients; the plain token is returned once and never stored. */
export async function createApiToken(
  tx: Tx,
  ctx: Ctx,
  input: { userId: string; label: string; expiresInDays?: number; lifetime?: TokenLifetime },
) {
  const expiresAt = tokenExpiry(ctx.now, input.expiresInDays, input.lifetime ?? DEFAULT_TOKEN_LIFETIME);
  const token = newToken("cpt_");
  const row = await tx
    .insertInto("api_tokens")
    .values({
      token_hash: tokenHash(token),
      user_id: input.userId,
      label: input.label,
      created_at: ctx.now,
      expires_at: expiresAt,
      revoked_at: null,
    })
    .returning(["id", "label", "created_at", "expires_at"])
    .executeTakeFirstOrThrow();
  await recordAudit(tx, ctx, {
    action: "api_token.created",
    entityType: "user",
    entityId: input.userId,
    after: { tokenId: row.id, label: row.label, expiresAt: row.expires_at },
  });
  return { ...row, token };
}

/** Every token of one user, newest first, revoked and expired ones included. */
export async function listApiTokens(tx: Tx, userId: string): Promise<ApiTokenView[]> {
  const rows = await tx
    .selectFrom("api_tokens")
    .select(VIEW_COLUMNS)
    .where("user_id", "=", userId)
    .orderBy("created_at", "desc")
    .orderBy("id")
    .execute();
  return rows.map(view);
}

export async function userExists(tx: Tx, userId: string): Promise<boolean> {
  return (
    (await tx.selectFrom("users").select("id").where("id", "=", userId).executeTakeFirst()) !== undefined
  );
}

/**
 * Marks the token revoked (compare-and-set: a second revocation changes nothing and writes no
 * second audit entry) and drops it from this process's principal cache; other processes stop
 * accepting it within the cache TTL (src/identity/principal-cache.ts).
 */
async function revoke(tx: Tx, ctx: Ctx, tokenId: string, how: "revoked" | "logout") {
  const row = await tx
    .updateTable("api_tokens")
    .set({ revoked_at: ctx.now })
    .where("id", "=", tokenId)
    .where("revoked_at", "is", null)
    .returning([...VIEW_COLUMNS, "token_hash"])
    .executeTakeFirst();
  if (!row) return null;
  evictToken(row.token_hash);
  await recordAudit(tx, ctx, {
    action: "api_token.revoked",
    entityType: "user",
    entityId: row.user_id,
    after: { tokenId: row.id, label: row.label, how },
  });
  return view(row);
}

/**
 * Revokes a token by id: its owner's, or anyone's for an admin. Someone else's token answers as a
 * missing one, so ids reveal nothing. Revoking a revoked token returns it as it is.
 */
export async function revokeApiToken(
  tx: Tx,
  ctx: Ctx,
  input: { tokenId: string; by: { userId: string; role: Role } },
): Promise<ApiTokenView> {
  let q = tx.selectFrom("api_tokens").select(VIEW_COLUMNS).where("id", "=", input.tokenId);
  if (input.by.role !== "admin") q = q.where("user_id", "=", input.by.userId);
  const found = await q.forUpdate().executeTakeFirst();
  if (!found) throw new NotFoundError("api token", input.tokenId);
  return (await revoke(tx, ctx, found.id, "revoked")) ?? view(found);
}

/** Logout with a bearer token: the presented token stops working. */
export async function revokePresentedToken(tx: Tx, ctx: Ctx, token: string): Promise<boolean> {
  const found = await tx
    .selectFrom("api_tokens")
    .select("id")
    .where("token_hash", "=", tokenHash(token))
    .executeTakeFirst();
  return found !== undefined && (await revoke(tx, ctx, found.id, "logout")) !== null;
}

const TOUCH_EVERY_MS = 60_000;

/**
 * Records that a token was used, at most once a minute per token: a write on every request would
 * cost more than the request. Called on a principal-cache miss only, which is often enough.
 */
export async function touchApiToken(tx: Tx, tokenId: string, lastUsedAt: Date | null, now: Date) {
  if (lastUsedAt !== null && now.getTime() - lastUsedAt.getTime() < TOUCH_EVERY_MS) return;
  await tx
    .updateTable("api_tokens")
    .set({ last_used_at: now })
    .where("id", "=", tokenId)
    .where((eb) =>
      eb.or([
        eb("last_used_at", "is", null),
        eb("last_used_at", "<", new Date(now.getTime() - TOUCH_EVERY_MS)),
      ]),
    )
    .execute();
}
