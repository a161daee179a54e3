import { recordAudit } from "../audit/index.ts";
import type { Tx } from "../db/schema.ts";
import type { Ctx } from "../shared/context.ts";
import { NotFoundError } from "../shared/errors.ts";
import { evictToken } from "./principal-cache.ts";
import type { Role } from "./roles.ts";
import {
  insertToken,
  lockToken,
  markRevoked,
  type TokenViewRow,
  tokenIdByHash,
  tokensOf,
  touchToken,
} from "./store/index.ts";
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

function view(r: TokenViewRow): ApiTokenView {
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
  const row = await insertToken(tx, {
    tokenHash: tokenHash(token),
    userId: input.userId,
    label: input.label,
    now: ctx.now,
    expiresAt,
  });
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
  return (await tokensOf(tx, userId)).map(view);
}

/**
 * Marks the token revoked (compare-and-set: a second revocation changes nothing and writes no
 * second audit entry) and drops it from this process's principal cache; other processes stop
 * accepting it within the cache TTL (src/identity/principal-cache.ts).
 */
async function revoke(tx: Tx, ctx: Ctx, tokenId: string, how: "revoked" | "logout") {
  const row = await markRevoked(tx, tokenId, ctx.now);
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
  const found = await lockToken(tx, input.tokenId, input.by.role === "admin" ? null : input.by.userId);
  if (!found) throw new NotFoundError("api token", input.tokenId);
  return (await revoke(tx, ctx, found.id, "revoked")) ?? view(found);
}

/** Logout with a bearer token: the presented token stops working. */
export async function revokePresentedToken(tx: Tx, ctx: Ctx, token: string): Promise<boolean> {
  const found = await tokenIdByHash(tx, tokenHash(token));
  return found !== undefined && (await revoke(tx, ctx, found, "logout")) !== null;
}

const TOUCH_EVERY_MS = 60_000;

/**
 * Records that a token was used, at most once a minute per token: a write on every request would
 * cost more than the request. Called on a principal-cache miss only, which is often enough.
 */
export async function touchApiToken(tx: Tx, tokenId: string, lastUsedAt: Date | null, now: Date) {
  if (lastUsedAt !== null && now.getTime() - lastUsedAt.getTime() < TOUCH_EVERY_MS) return;
  await touchToken(tx, tokenId, now, new Date(now.getTime() - TOUCH_EVERY_MS));
}
