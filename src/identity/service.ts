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
import type { Principal } from "./model.ts";
import { passwordProblem } from "./password-policy.ts";
import { decoyHash, hashPassword, verifyPassword } from "./passwords.ts";
import { cachedPrincipal, cachePrincipal, evictToken, evictUser } from "./principal-cache.ts";
import type { Role } from "./roles.ts";
import {
  clearFailures,
  deleteExpiredSessions,
  deleteSession,
  emailHash,
  findLoginUser,
  findUserByEmail,
  insertSession,
  insertUser,
  lockFailures,
  recordFailure,
  sessionPrincipalRow,
  tokenPrincipalRow,
} from "./store/index.ts";
import { newToken, tokenHash } from "./tokens.ts";

/** Token use cases live in api-tokens.ts; callers import identity through this file. */
export {
  type ApiTokenView,
  createApiToken,
  listApiTokens,
  revokeApiToken,
  revokePresentedToken,
} from "./api-tokens.ts";
export type { Principal } from "./model.ts";
export { userExists } from "./store/index.ts";

export interface NewUser {
  email: string;
  password: string;
  role: Role;
  displayName: string;
  partyId?: string | null;
}

/** Refuses a password that is too short, too common or the address itself (password-policy.ts). */
export function checkPassword(password: string, email?: string): void {
  const problem = passwordProblem(password, email);
  if (problem) throw new ValidationError([{ path: "password", message: problem }]);
}

/**
 * A login with a password chosen by whoever creates it (the CLI's first admin, the demo, tests):
 * the address counts as verified. Staff invited through the API get no password (accounts.ts).
 */
export async function createUser(tx: Tx, ctx: Ctx, input: NewUser) {
  const email = input.email.trim().toLowerCase();
  checkPassword(input.password, email);
  if ((input.role === "policyholder") !== Boolean(input.partyId))
    throw new ValidationError([{ path: "partyId", message: "policyholders, and only they, have a party" }]);
  if (await findUserByEmail(tx, email))
    throw new AppError("conflict", "a user with this email exists", [{ path: "email", message: "taken" }]);
  const user = await insertUser(tx, {
    email,
    passwordHash: await hashPassword(input.password),
    role: input.role,
    partyId: input.partyId ?? null,
    displayName: input.displayName,
    now: ctx.now,
    verifiedAt: ctx.now,
  });
  await recordAudit(tx, ctx, {
    action: "user.created",
    entityType: "user",
    entityId: user.id,
    after: { role: user.role, partyId: user.party_id, how: "password" },
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
  // A disabled login, an invited one without a password and an unverified address cannot log in.
  const user = await findLoginUser(tx, email);
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
  await insertSession(tx, {
    tokenHash: tokenHash(sessionToken),
    userId: user.id,
    csrfToken,
    now: ctx.now,
    expiresAt,
  });
  await deleteExpiredSessions(tx, user.id, ctx.now);
  return { ok: true, principal: principalOf(user, "session", csrfToken), sessionToken, expiresAt };
}

export async function logout(tx: Tx, sessionToken: string): Promise<void> {
  const hash = tokenHash(sessionToken);
  evictToken(hash);
  await deleteSession(tx, hash);
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
export function principalOf(user: UserColumns, via: Principal["via"], csrfToken: string | null): Principal {
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
  const row = await sessionPrincipalRow(tx, hash, now);
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
  const row = await tokenPrincipalRow(tx, hash, now);
  if (!row) return null;
  await touchApiToken(tx, row.token_id, row.last_used_at, now);
  const principal = principalOf(row, "token", null);
  cachePrincipal(tx, hash, principal, row.expires_at, startedAt);
  return principal;
}
