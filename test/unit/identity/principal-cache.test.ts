import { afterEach, describe, expect, it, vi } from "vitest";
import {
  cachedPrincipal,
  cachePrincipal,
  evictToken,
  evictUser,
  TTL_MS,
} from "../../../src/identity/principal-cache.ts";
import type { Principal } from "../../../src/identity/service.ts";

const NOW = new Date("2026-11-22T12:00:00Z");
const principal = (userId: string): Principal => ({
  userId,
  role: "policyholder",
  partyId: "p1",
  email: `${userId}@example.test`,
  displayName: userId,
  via: "token",
  csrfToken: null,
});

// Each test uses its own hashes and users: the cache and its tombstones are process-wide.
describe("principal cache", () => {
  afterEach(() => vi.restoreAllMocks());

  it("answers from the cache for the same database only, until the TTL passes", () => {
    const db = {};
    cachePrincipal(db, "h-ttl", principal("u-ttl"), null, performance.now());
    expect(cachedPrincipal(db, "h-ttl", NOW)?.userId).toBe("u-ttl");
    expect(cachedPrincipal({}, "h-ttl", NOW)).toBeNull();
    cachePrincipal(db, "h-ttl2", principal("u-ttl"), null, performance.now());
    const later = performance.now() + TTL_MS + 1;
    vi.spyOn(performance, "now").mockReturnValue(later);
    expect(cachedPrincipal(db, "h-ttl2", NOW)).toBeNull();
  });

  it("honours the session's own expiry against the caller's clock", () => {
    const db = {};
    cachePrincipal(db, "h-exp", principal("u-exp"), new Date(NOW.getTime() + 1000), performance.now());
    expect(cachedPrincipal(db, "h-exp", NOW)).not.toBeNull();
    expect(cachedPrincipal(db, "h-exp", new Date(NOW.getTime() + 1000))).toBeNull();
  });

  it("forgets a logged-out token at once and does not cache it again meanwhile", () => {
    const db = {};
    cachePrincipal(db, "h-out", principal("u-out"), null, performance.now());
    evictToken("h-out");
    expect(cachedPrincipal(db, "h-out", NOW)).toBeNull();
    // A request that read the row before the logout committed must not put it back.
    cachePrincipal(db, "h-out", principal("u-out"), null, performance.now());
    expect(cachedPrincipal(db, "h-out", NOW)).toBeNull();
  });

  it("forgets every token of an erased user", () => {
    const db = {};
    cachePrincipal(db, "h-e1", principal("u-erased"), null, performance.now());
    cachePrincipal(db, "h-e2", principal("u-erased"), null, performance.now());
    cachePrincipal(db, "h-other", principal("u-other"), null, performance.now());
    evictUser("u-erased");
    expect(cachedPrincipal(db, "h-e1", NOW)).toBeNull();
    expect(cachedPrincipal(db, "h-e2", NOW)).toBeNull();
    expect(cachedPrincipal(db, "h-other", NOW)?.userId).toBe("u-other");
  });
});
