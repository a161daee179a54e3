import { recordAudit } from "../audit/index.ts";
import type { Tx } from "../db/schema.ts";
import type { Ctx } from "../shared/context.ts";
import { AppError, ValidationError } from "../shared/errors.ts";
import { touchApiToken } from "./api-tokens.ts";
import {
  currentFailures,
  DEFAULT_LOGIN_BACKOFF,
  type LoginBackoff,
  retryAfterSeconds,
} from "./login-backoff.ts";
import { clearFailures, emailHash, lockFailures, recordFailure } from "./login-failures.ts";
import { decoyHash, hashPassword, verifyPassword } from "./passwords.ts";
import { cachedPrincipal, cachePrincipal, evictToken, evictUser } from "./principal-cache.ts";
import type { Role } from "./roles.ts";
import { newToken, tokenHash } from "./tokens.ts";

/** Token use cases live in api-tokens.ts; callers import identity through this file. */
export {
  type ApiTokenView,
  createApiToken,
  listApiTokens,
  revokeApiToken,
  revokePresentedToken,
  userExists,
} from "./api-tokens.ts";

/** Who is calling: resolved from a session cookie or a bearer token on every request. */
export interface Principal {
  userId: string;
  role: Role;
  /** The policyholder's household (party); null for staff. */
  partyId: string | null;
  email: string;
  displayName: string;
  via: "session" | "token";
  /** Present for cookie sessions: unsafe requests must echo it in `X-CSRF-Token`. */
  csrfToken: string | null;
}

export interface NewUser {
  email: string;
  password: string;
  role: Role;
  displayName: string;
  partyId?: string | null;
}

const MIN_PASSWORD = 10;

export async function createUser(tx: Tx, ctx: Ctx, input: NewUser) {
  const email = input.email.trim().toLowerCase();
  if (input.password.length < MIN_PASSWORD)
    throw new ValidationError([{ path: "password", message: `must be at least ${MIN_PASSWORD} characters` }]);
  if ((input.role === "policyholder") !== Boolean(input.partyId))
    throw new ValidationError([{ path: "partyId", message: "policyholders, and only they, have a party" }]);
  const taken = await tx
    .selectFrom("users")
    .select("id")
    .where((eb) => eb(eb.fn("lower", ["email"]), "=", email))
    .executeTakeFirst();
  if (taken)
    throw new AppError("conflict", "a user with this email exists", [{ path: "email", message: "taken" }]);
  const user = await tx
    .insertInto("users")
    .values({
      email,
      password_hash: await hashPassword(input.password),
      role: input.role,
      party_id: input.partyId ?? null,
      display_name: input.displayName,
      created_at: ctx.now,
      disabled_at: null,
    })
    .returning(["id", "email", "role", "party_id", "display_name"])
    .executeTakeFirstOrThrow();
  await recordAudit(tx, ctx, {
    action: "user.created",
    entityType: "user",
    entityId: user.id,
    after: { role: user.role, partyId: user.party_id },
  });
  return user;
}

export interface LoginResult {
  principal: Principal;
  sessionToken: string;
  expiresAt: Date;
}

/** Refusals are returned, not thrown: the failure they record must commit with the transaction. */
export type LoginOutcome =
  | ({ ok: true } & LoginResult)
  | { ok: false; code: "invalid_credentials" }
  | { ok: false; code: "throttled"; retryAfterSeconds: number };

/**
 * Checks email and password and opens a session; one answer for unknown email and wrong password.
 * The per-account limit (login-backoff.ts) counts failures per address whether or not an account
 * has it, and a throttled attempt is refused before any password is checked, so neither the
 * answer nor its timing tells a known address from an unknown one.
 */
export async function login(
  tx: Tx,
  ctx: Ctx,
  input: { email: string; password: string; ttlSeconds: number; backoff?: LoginBackoff },
): Promise<LoginOutcome> {
  const backoff = input.backoff ?? DEFAULT_LOGIN_BACKOFF;
  const email = input.email.trim().toLowerCase();
  const key = emailHash(email);
  const record = await lockFailures(tx, key, ctx.now);
  const wait = retryAfterSeconds(record, ctx.now, backoff);
  if (wait > 0) return { ok: false, code: "throttled", retryAfterSeconds: wait };
  const user = await tx
    .selectFrom("users")
    .selectAll()
    .where((eb) => eb(eb.fn("lower", ["email"]), "=", email))
    .where("disabled_at", "is", null)
    .executeTakeFirst();
  // Verify against a decoy when the email is unknown so response time does not reveal accounts.
  const ok = await verifyPassword(user?.password_hash ?? (await decoyHash()), input.password);
  if (!user || !ok) {
    await recordFailure(tx, key, currentFailures(record, ctx.now, backoff) + 1, ctx.now);
    return { ok: false, code: "invalid_credentials" };
  }
  await clearFailures(tx, key, ctx.now, backoff);
  const sessionToken = newToken();
  const csrfToken = newToken();
  const expiresAt = new Date(ctx.now.getTime() + input.ttlSeconds * 1000);
  await tx
    .insertInto("sessions")
    .values({
      token_hash: tokenHash(sessionToken),
      user_id: user.id,
      csrf_token: csrfToken,
      created_at: ctx.now,
      expires_at: expiresAt,
    })
    .execute();
  // Expired sessions of this user are removed here so the table does not grow without bound.
  await tx.deleteFrom("sessions").where("user_id", "=", user.id).where("expires_at", "<", ctx.now).execute();
  return { ok: true, principal: principalOf(user, "session", csrfToken), sessionToken, expiresAt };
}

export async function logout(tx: Tx, sessionToken: string): Promise<void> {
  const hash = tokenHash(sessionToken);
  evictToken(hash);
  await tx.deleteFrom("sessions").where("token_hash", "=", hash).execute();
}

/**
 * Call when a user's sessions or tokens are revoked, the user is disabled or their role or party
 * changes: cached principals of this process go at once (other processes: within the cache TTL).
 */
export function forgetUserPrincipals(userId: string): void {
  evictUser(userId);
}

type UserColumns = { id: string; role: Role; party_id: string | null; email: string; display_name: string };

/** The same user columns make a principal whether they came with a session or a token. */
function principalOf(user: UserColumns, via: Principal["via"], csrfToken: string | null): Principal {
  return {
    userId: user.id,
    role: user.role,
    partyId: user.party_id,
    email: user.email,
    displayName: user.display_name,
    via,
    csrfToken,
  };
}

/** Resolves a session cookie; cached for a few seconds per process (see principal-cache.ts). */
export async function resolveSession(tx: Tx, now: Date, sessionToken: string): Promise<Principal | null> {
  const hash = tokenHash(sessionToken);
  const cached = cachedPrincipal(tx, hash, now);
  if (cached?.via === "session") return cached;
  const startedAt = performance.now();
  const row = await tx
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .select(["users.id", "users.role", "users.party_id", "users.email", "users.display_name"])
    .select(["sessions.csrf_token", "sessions.expires_at"])
    .where("sessions.token_hash", "=", hash)
    .where("sessions.expires_at", ">", now)
    .where("users.disabled_at", "is", null)
    .executeTakeFirst();
  if (!row) return null;
  const principal = principalOf(row, "session", row.csrf_token);
  cachePrincipal(tx, hash, principal, row.expires_at, startedAt);
  return principal;
}

/** Resolves a bearer token; cached for a few seconds per process (see principal-cache.ts). */
export async function resolveApiToken(tx: Tx, now: Date, token: string): Promise<Principal | null> {
  const hash = tokenHash(token);
  const cached = cachedPrincipal(tx, hash, now);
  if (cached?.via === "token") return cached;
  const startedAt = performance.now();
  const row = await tx
    .selectFrom("api_tokens")
    .innerJoin("users", "users.id", "api_tokens.user_id")
    .select(["users.id", "users.role", "users.party_id", "users.email", "users.display_name"])
    .select(["api_tokens.id as token_id", "api_tokens.expires_at", "api_tokens.last_used_at"])
    .where("api_tokens.token_hash", "=", hash)
    .where("api_tokens.revoked_at", "is", null)
    .where("api_tokens.expires_at", ">", now)
    .where("users.disabled_at", "is", null)
    .executeTakeFirst();
  if (!row) return null;
  await touchApiToken(tx, row.token_id, row.last_used_at, now);
  const principal = principalOf(row, "token", null);
  cachePrincipal(tx, hash, principal, row.expires_at, startedAt);
  return principal;
}
