import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../../src/http/app.ts";
import { DEFAULT_HTTP_CONFIG, type HttpConfig } from "../../../src/http/config.ts";
import { defaultCatalog } from "../../../src/products/index.ts";
import { call, NOW, PASSWORD, startTestApp, type TestApp } from "./helpers.ts";

/**
 * REDIS_URL: two app instances on one database share the login limit and the per-principal
 * budgets through the real Redis on 127.0.0.1:6379. Each test run has its own key prefix, so
 * runs on both backends at once never count each other's requests.
 */
let t: TestApp;
const clients: Redis[] = [];
const apps: FastifyInstance[] = [];

async function instance(config: Partial<HttpConfig>, prefix: string) {
  const redis = new Redis("redis://127.0.0.1:6379", { keyPrefix: prefix });
  clients.push(redis);
  const app = await buildApp({
    db: t.db.kysely,
    catalog: defaultCatalog(),
    clock: () => NOW,
    redis,
    config: {
      ...DEFAULT_HTTP_CONFIG,
      sessionSecret: "test-secret-0123456789abcdef0123456789",
      logLevel: "silent",
      ...config,
    },
  });
  apps.push(app);
  return app;
}

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  for (const a of apps) await a.close();
  for (const c of clients) {
    const keys = await c.keys(`${c.options.keyPrefix}*`);
    // KEYS answers full names; DEL would prefix them again.
    for (const k of keys) await c.del(k.slice(c.options.keyPrefix!.length));
    c.disconnect();
  }
  await t.close();
});

describe("rate limits shared through Redis", () => {
  it("two instances share one login limit per client address", async () => {
    const prefix = `cp-test-${randomUUID()}:`;
    const config = { loginRateLimit: { max: 4, windowMs: 60_000 } };
    const [a, b] = [await instance(config, prefix), await instance(config, prefix)];
    const statuses: number[] = [];
    for (const app of [a, b, a, b, a, b]) {
      const res = await call(app, null, "POST", "/api/auth/login", {
        email: "alice@example.test",
        password: PASSWORD,
      });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
  });

  it("two instances share one principal's general budget", async () => {
    const prefix = `cp-test-${randomUUID()}:`;
    const limits = {
      general: { max: 5, windowMs: 60_000 },
      exports: { max: 5, windowMs: 60_000 },
      uploads: { max: 5, windowMs: 60_000 },
    };
    const [a, b] = [
      await instance({ rateLimits: limits }, prefix),
      await instance({ rateLimits: limits }, prefix),
    ];
    const statuses = await Promise.all(
      [a, b, a, b, a, b, a, b].map((app) =>
        call(app, t.bob, "GET", "/api/auth/me").then((r) => r.statusCode),
      ),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(3);
    // Another principal has its own budget.
    expect((await call(a, t.alice, "GET", "/api/auth/me")).statusCode).toBe(200);
  });
});

describe("TRUST_PROXY", () => {
  const login = (app: FastifyInstance, forwardedFor: string) =>
    app.inject({
      method: "POST",
      url: "/api/auth/login",
      headers: { "x-forwarded-for": forwardedFor },
      payload: { email: "alice@example.test", password: PASSWORD },
    });

  it("behind a proxy the login limit counts per forwarded client address", async () => {
    const prefix = `cp-test-${randomUUID()}:`;
    const app = await instance({ trustProxy: 1, loginRateLimit: { max: 2, windowMs: 60_000 } }, prefix);
    const first = [
      await login(app, "203.0.113.1"),
      await login(app, "203.0.113.1"),
      await login(app, "203.0.113.1"),
    ];
    expect(first.map((r) => r.statusCode)).toEqual([200, 200, 429]);
    expect((await login(app, "203.0.113.2")).statusCode).toBe(200);
  });

  it("without it a forwarded address is ignored: a client cannot pick a fresh one per request", async () => {
    const prefix = `cp-test-${randomUUID()}:`;
    const app = await instance({ loginRateLimit: { max: 2, windowMs: 60_000 } }, prefix);
    const codes = [];
    for (const ip of ["203.0.113.1", "203.0.113.2", "203.0.113.3"])
      codes.push((await login(app, ip)).statusCode);
    expect(codes).toEqual([200, 200, 429]);
  });
});
