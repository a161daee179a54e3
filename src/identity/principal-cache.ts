import type { Principal } from "./model.ts";

/**
 * Resolving a bearer token or session costs a database round trip on every request, which at
 * 100 concurrent connections is a large share of a route's cost. Resolved principals are kept here
 * for a few seconds, keyed by the token's SHA-256 (never the token itself).
 *
 * Consistency: logout, token revocation and GDPR erasure evict in this process at once (see
 * `evictToken`, `evictUser`). Other API processes keep a revoked principal for at most `TTL_MS`;
 * that is the documented revocation delay across processes, and it is held to one second (tested
 * with two servers on one database in test/db/http/token-revocation.test.ts). A second still
 * spares the database all but one lookup per token per second under load.
 */
export const TTL_MS = 1_000;
const MAX_ENTRIES = 1_000;
/**
 * A revocation runs inside a transaction: until it commits, a concurrent request still reads the
 * old row and would put it back. So an evicted key or user is not cached again for this long
 * (longer than any request transaction), and every lookup meanwhile reads the database.
 */
const TOMBSTONE_MS = 60_000;

interface Entry {
  /** The database the principal was read from: tests run many databases in one process. */
  source: object;
  principal: Principal;
  /** The session's or token's own expiry, compared with the caller's (injectable) clock. */
  expiresAt: Date | null;
  /** Monotonic ms: freshness is wall time, not business time (tests pin the business clock). */
  fetchedAt: number;
}

const entries = new Map<string, Entry>();
const evictedKeys = new Map<string, number>();
const evictedUsers = new Map<string, number>();

function recentlyEvicted(map: Map<string, number>, id: string): boolean {
  const at = map.get(id);
  if (at === undefined) return false;
  if (performance.now() - at < TOMBSTONE_MS) return true;
  map.delete(id);
  return false;
}

function tombstone(map: Map<string, number>, id: string): void {
  const now = performance.now();
  map.delete(id);
  map.set(id, now);
  // Oldest first (insertion order): drop the expired ones so many logouts can't grow the map.
  for (const [k, at] of map) {
    if (now - at < TOMBSTONE_MS) break;
    map.delete(k);
  }
}

export function cachedPrincipal(source: object, hash: string, now: Date): Principal | null {
  const e = entries.get(hash);
  if (!e) return null;
  const fresh = performance.now() - e.fetchedAt < TTL_MS;
  if (e.source !== source || !fresh || (e.expiresAt !== null && e.expiresAt <= now)) {
    entries.delete(hash);
    return null;
  }
  // Re-insert so the Map's insertion order is least-recently-used first.
  entries.delete(hash);
  entries.set(hash, e);
  return e.principal;
}

/** `startedAt`: performance.now() before the database read, so the TTL counts from the read. */
export function cachePrincipal(
  source: object,
  hash: string,
  principal: Principal,
  expiresAt: Date | null,
  startedAt: number,
): void {
  if (recentlyEvicted(evictedKeys, hash) || recentlyEvicted(evictedUsers, principal.userId)) return;
  entries.set(hash, { source, principal, expiresAt, fetchedAt: startedAt });
  if (entries.size > MAX_ENTRIES) {
    const oldest = entries.keys().next().value;
    if (oldest !== undefined) entries.delete(oldest);
  }
}

/** Logout or revocation of one session or token (by its hash). */
export function evictToken(hash: string): void {
  entries.delete(hash);
  tombstone(evictedKeys, hash);
}

/** Every session and token of a user: erasure, disabling, role changes. */
export function evictUser(userId: string): void {
  for (const [hash, e] of entries) if (e.principal.userId === userId) entries.delete(hash);
  tombstone(evictedUsers, userId);
}
