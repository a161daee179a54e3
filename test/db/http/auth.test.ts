import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../../src/http/app.ts";
import { DEFAULT_HTTP_CONFIG } from "../../../src/http/config.ts";
import { defaultCatalog } from "../../../src/products/catalog.ts";
import { createTestDb } from "../../support/db.ts";
import { call, NOW, PASSWORD, startTestApp, type TestApp } from "./helpers.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ loginRateLimit: { max: 10, windowMs: 60_000 } });
});
afterAll(() => t.close());

async function loginAs(email: string) {
  const res = await call(t.app, null, "POST", "/api/auth/login", { email, password: PASSWORD });
  expect(res.statusCode).toBe(200);
  const cookie = res.cookies.find((c) => c.name === "cp_session")!;
  return { res, cookie: `cp_session=${cookie.value}`, csrf: res.json().csrfToken as string, raw: cookie };
}

describe("authentication", () => {
  it("logs in with a secure, HTTP-only, same-site cookie and answers /auth/me", async () => {
    const { res, cookie, raw } = await loginAs("alice@example.test");
    expect(raw).toMatchObject({ httpOnly: true, secure: true, sameSite: "Strict", path: "/" });
    expect(res.json().user).toMatchObject({ email: "alice@example.test", role: "policyholder" });
    const me = await call(t.app, { headers: { cookie } }, "GET", "/api/auth/me");
    expect(me.statusCode).toBe(200);
    expect(me.json().user.partyId).toBe(t.alice.partyId);
  });

  it("stores passwords as argon2id and only hashes of session tokens", async () => {
    const user = await t.db.kysely
      .selectFrom("users")
      .selectAll()
      .where("email", "=", "bob@example.test")
      .executeTakeFirstOrThrow();
    expect(user.password_hash).toMatch(/^\$argon2id\$/);
    const { raw } = await loginAs("bob@example.test");
    const token = raw.value.split(".")[0]!;
    const stored = await t.db.kysely.selectFrom("sessions").select("token_hash").execute();
    expect(stored.some((s) => s.token_hash === token)).toBe(false);
  });

  it("refuses a wrong password and an unknown email alike", async () => {
    const wrong = await call(t.app, null, "POST", "/api/auth/login", {
      email: "alice@example.test",
      password: "nope",
    });
    const unknown = await call(t.app, null, "POST", "/api/auth/login", {
      email: "zed@example.test",
      password: "nope",
    });
    for (const res of [wrong, unknown]) {
      expect(res.statusCode).toBe(401);
      expect(res.headers["content-type"]).toContain("application/problem+json");
      expect(res.json()).toMatchObject({ code: "invalid_credentials", status: 401 });
    }
  });

  it("requires the CSRF token on unsafe requests of a cookie session, not of a bearer token", async () => {
    const { cookie, csrf } = await loginAs("alice@example.test");
    const body = { label: "cli" };
    const without = await call(t.app, { headers: { cookie } }, "POST", "/api/auth/tokens", body);
    expect(without.statusCode).toBe(403);
    expect(without.json().code).toBe("csrf_failed");
    const wrongToken = await call(
      t.app,
      { headers: { cookie, "x-csrf-token": `${csrf}x` } },
      "POST",
      "/api/auth/tokens",
      body,
    );
    expect(wrongToken.json().code).toBe("csrf_failed");
    const ok = await call(
      t.app,
      { headers: { cookie, "x-csrf-token": csrf } },
      "POST",
      "/api/auth/tokens",
      body,
    );
    expect(ok.statusCode).toBe(201);
    const token = ok.json().token as string;
    const viaToken = await call(
      t.app,
      { headers: { authorization: `Bearer ${token}` } },
      "POST",
      "/api/quotes",
      {
        product: "nl-cyber",
        household: "single",
        paymentFrequency: "annual",
        paymentMethod: "bank_transfer",
      },
    );
    expect(viaToken.statusCode).toBe(200);
  });

  it("ends the session on logout", async () => {
    const { cookie, csrf } = await loginAs("alice@example.test");
    const out = await call(t.app, { headers: { cookie, "x-csrf-token": csrf } }, "POST", "/api/auth/logout");
    expect(out.statusCode).toBe(200);
    const me = await call(t.app, { headers: { cookie } }, "GET", "/api/auth/me");
    expect(me.statusCode).toBe(401);
    expect(me.json().code).toBe("unauthenticated");
  });

  it("refuses missing, forged and tampered credentials", async () => {
    expect((await call(t.app, null, "GET", "/api/policies")).statusCode).toBe(401);
    const forged = { headers: { authorization: "Bearer cpt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" } };
    expect((await call(t.app, forged, "GET", "/api/policies")).statusCode).toBe(401);
    const tampered = { headers: { cookie: "cp_session=abc.def" } };
    expect((await call(t.app, tampered, "GET", "/api/policies")).statusCode).toBe(401);
  });

  it("answers 403 to a role the route does not allow", async () => {
    const res = await call(t.app, t.staff.finance, "POST", "/api/policies", {});
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe("forbidden");
  });

  it("rate-limits login attempts", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await call(t.app, null, "POST", "/api/auth/login", {
        email: "alice@example.test",
        password: "guess",
      });
      statuses.push(res.statusCode);
    }
    expect(statuses).toContain(429);
    const limited = await call(t.app, null, "POST", "/api/auth/login", { email: "a@b.c", password: "x" });
    expect(limited.json()).toMatchObject({ code: "rate_limited", status: 429 });
  });

  it("sends security headers and a request id", async () => {
    const res = await call(t.app, null, "GET", "/health");
    expect(res.statusCode).toBe(200);
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["content-security-policy"]).toBeDefined();
    expect(res.headers["strict-transport-security"]).toBeDefined();
    expect(res.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers unknown routes with problem+json", async () => {
    const res = await call(t.app, t.alice, "GET", "/api/nothing-here");
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({
      code: "route_not_found",
      type: "urn:cyberpolis:problem:route_not_found",
    });
  });
});

describe("unexpected errors", () => {
  it("answer 500 without internals and are logged with the request id", async () => {
    const db = await createTestDb();
    await db.close();
    const lines: string[] = [];
    const logStream = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const app = await buildApp(
      {
        db: db.kysely,
        catalog: defaultCatalog(),
        clock: () => NOW,
        config: { ...DEFAULT_HTTP_CONFIG, sessionSecret: "s".repeat(40), logLevel: "error" },
      },
      { logStream },
    );
    const res = await app.inject({
      method: "GET",
      url: "/api/policies",
      headers: { authorization: "Bearer cpt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAA" },
    });
    await app.close();
    expect(res.statusCode).toBe(500);
    const body = res.json();
    expect(body).toMatchObject({ code: "internal_error", status: 500 });
    expect(JSON.stringify(body)).not.toMatch(/destroyed|stack|kysely|at /i);
    const logged = lines.map((l) => JSON.parse(l) as { reqId?: string; level: number });
    expect(logged.some((l) => l.level >= 50 && l.reqId === body.requestId)).toBe(true);
  });
});
