import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, NOW, rowCounts, startTestApp, type TestApp } from "./helpers.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const DAY = 86_400_000;
const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

async function newToken(who: { headers: Record<string, string> }, label: string, expiresInDays?: number) {
  const res = await call(t.app, who, "POST", "/api/auth/tokens", {
    label,
    ...(expiresInDays === undefined ? {} : { expiresInDays }),
  });
  expect(res.statusCode).toBe(201);
  return res.json() as { id: string; token: string; expiresAt: string };
}

async function status(token: string): Promise<number> {
  return (await call(t.app, bearer(token), "GET", "/api/auth/me")).statusCode;
}

async function revocations(tokenId: string) {
  const rows = await t.db.kysely
    .selectFrom("audit_log")
    .select(["actor", "after"])
    .where("action", "=", "api_token.revoked")
    .execute();
  return rows.filter((r) => (r.after as { tokenId?: string } | null)?.tokenId === tokenId);
}

describe("API token lifetimes", () => {
  it("expire after 90 days by default and after at most 365; more is a 400 naming the maximum", async () => {
    expect((await newToken(t.alice, "default")).expiresAt).toBe(
      new Date(NOW.getTime() + 90 * DAY).toISOString(),
    );
    expect((await newToken(t.alice, "year", 365)).expiresAt).toBe(
      new Date(NOW.getTime() + 365 * DAY).toISOString(),
    );
    const before = await rowCounts(t.db);
    const res = await call(t.app, t.alice, "POST", "/api/auth/tokens", {
      label: "forever",
      expiresInDays: 366,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: "validation_failed",
      errors: [{ path: "expiresInDays", message: expect.stringMatching(/1 to 365/) }],
    });
    expect(await rowCounts(t.db)).toEqual(before);
  });
});

describe("listing tokens", () => {
  it("shows the caller's own tokens with label, created, last used, expires and revoked, never a secret", async () => {
    const used = await newToken(t.bob, "used");
    const idle = await newToken(t.bob, "idle", 7);
    expect(await status(used.token)).toBe(200);
    const res = await call(t.app, t.bob, "GET", "/api/auth/tokens");
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Record<string, unknown>[];
    expect(items.find((i) => i.id === used.id)).toEqual({
      id: used.id,
      label: "used",
      createdAt: NOW.toISOString(),
      lastUsedAt: NOW.toISOString(),
      expiresAt: used.expiresAt,
      revokedAt: null,
    });
    expect(items.find((i) => i.id === idle.id)).toMatchObject({
      lastUsedAt: null,
      expiresAt: idle.expiresAt,
    });
    const hashes = await t.db.kysely.selectFrom("api_tokens").select("token_hash").execute();
    for (const secret of [used.token, idle.token, ...hashes.map((h) => h.token_hash)])
      expect(res.body).not.toContain(secret);
    // Bob sees his own tokens only.
    const mine = await call(t.app, t.alice, "GET", "/api/auth/tokens");
    expect((mine.json().items as { id: string }[]).map((i) => i.id)).not.toContain(used.id);
  });
});

describe("revoking tokens", () => {
  it("stops the owner's token at once, audited once; revoking again changes nothing", async () => {
    const tok = await newToken(t.alice, "revoke-me");
    expect(await status(tok.token)).toBe(200); // now in the principal cache
    const res = await call(t.app, t.alice, "POST", `/api/auth/tokens/${tok.id}/revocation`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: tok.id, label: "revoke-me", revokedAt: NOW.toISOString() });
    expect(await status(tok.token)).toBe(401);
    const again = await call(t.app, t.alice, "POST", `/api/auth/tokens/${tok.id}/revocation`, {});
    expect(again.statusCode).toBe(200);
    expect(again.json().revokedAt).toBe(NOW.toISOString());
    expect(await revocations(tok.id)).toEqual([
      { actor: `user:${t.alice.userId}`, after: { tokenId: tok.id, label: "revoke-me", how: "revoked" } },
    ]);
    const listed = await call(t.app, t.alice, "GET", "/api/auth/tokens");
    expect(listed.json().items).toContainEqual(
      expect.objectContaining({ id: tok.id, revokedAt: NOW.toISOString() }),
    );
  });

  it("does not let another policyholder see or revoke it; an admin lists and revokes anyone's", async () => {
    const tok = await newToken(t.alice, "alice-ci");
    const foreign = await call(t.app, t.bob, "POST", `/api/auth/tokens/${tok.id}/revocation`);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().code).toBe("not_found");
    expect(await status(tok.token)).toBe(200);
    const peek = await call(t.app, t.bob, "GET", `/api/admin/users/${t.alice.userId}/tokens`);
    expect(peek.statusCode).toBe(403);
    expect(
      (await call(t.app, t.staff.claims_handler, "POST", `/api/auth/tokens/${tok.id}/revocation`)).statusCode,
    ).toBe(404);

    const list = await call(t.app, t.staff.admin, "GET", `/api/admin/users/${t.alice.userId}/tokens`);
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toContainEqual(
      expect.objectContaining({ id: tok.id, label: "alice-ci", revokedAt: null }),
    );
    expect(list.body).not.toContain(tok.token);
    const missing = await call(
      t.app,
      t.staff.admin,
      "GET",
      "/api/admin/users/00000000-0000-4000-8000-000000000000/tokens",
    );
    expect(missing.statusCode).toBe(404);

    const revoked = await call(t.app, t.staff.admin, "POST", `/api/auth/tokens/${tok.id}/revocation`);
    expect(revoked.statusCode).toBe(200);
    expect(await status(tok.token)).toBe(401);
    expect(await revocations(tok.id)).toEqual([
      {
        actor: `user:${t.staff.admin.userId}`,
        after: { tokenId: tok.id, label: "alice-ci", how: "revoked" },
      },
    ]);
  });

  it("logout with a bearer token revokes that token, and only that one", async () => {
    const one = await newToken(t.alice, "one");
    const two = await newToken(t.alice, "two");
    expect(await status(one.token)).toBe(200);
    const out = await call(t.app, bearer(one.token), "POST", "/api/auth/logout");
    expect(out.statusCode).toBe(200);
    expect(out.json()).toEqual({ loggedOut: true });
    expect(await status(one.token)).toBe(401);
    expect(await status(two.token)).toBe(200);
    expect(await revocations(one.id)).toEqual([
      { actor: `user:${t.alice.userId}`, after: { tokenId: one.id, label: "one", how: "logout" } },
    ]);
  });
});
