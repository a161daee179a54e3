import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../../src/db/connection.ts";
import { buildApp } from "../../../src/http/app.ts";
import { DEFAULT_HTTP_CONFIG } from "../../../src/http/config.ts";
import { createUser } from "../../../src/identity/service.ts";
import { emailHash } from "../../../src/identity/store/index.ts";
import { defaultCatalog } from "../../../src/products/catalog.ts";
import { createTestDb } from "../../support/db.ts";
import { call, inTx, NOW, PASSWORD } from "./helpers.ts";

/** 3 free failures, then 30 s, 60 s, … per address; the per-client-address limit is out of the way. */
const BACKOFF = { freeAttempts: 3, baseSeconds: 30, maxSeconds: 600, forgetAfterSeconds: 86_400 };

let db: Db;
let now = NOW;
const apps: FastifyInstance[] = [];

/** A server on the shared database; a second one is what a restart (or another machine) is. */
async function server(): Promise<FastifyInstance> {
  const app = await buildApp({
    db: db.kysely,
    catalog: defaultCatalog(),
    clock: () => now,
    config: {
      ...DEFAULT_HTTP_CONFIG,
      sessionSecret: "test-secret-0123456789abcdef0123456789",
      logLevel: "silent",
      loginRateLimit: { max: 10_000, windowMs: 60_000 },
      loginBackoff: BACKOFF,
    },
  });
  apps.push(app);
  return app;
}

beforeAll(async () => {
  db = await createTestDb();
  await inTx(db, async (tx) => {
    for (const name of ["carol", "dave", "erin", "frank"])
      await createUser(
        tx,
        { actor: "test", now: NOW, catalog: defaultCatalog() },
        {
          email: `${name}@example.test`,
          password: PASSWORD,
          role: "claims_handler",
          displayName: name,
        },
      );
  });
});
afterAll(async () => {
  for (const app of apps) await app.close();
  await db.close();
});

const later = (seconds: number) => {
  now = new Date(now.getTime() + seconds * 1000);
};

function login(app: FastifyInstance, email: string, password = "wrong password") {
  return call(app, null, "POST", "/api/auth/login", { email, password });
}

/** What a client can observe of a refusal: status, code, message and wait; not the request id. */
async function seen(app: FastifyInstance, email: string, password?: string) {
  const res = await login(app, email, password);
  const body = res.json() as { code: string; detail: string };
  return {
    status: res.statusCode,
    code: body.code,
    detail: body.detail,
    retryAfter: res.headers["retry-after"],
  };
}

describe("per-account login limit", () => {
  it("after 3 failures waits 30 s, then 60 s, refusing even the right password; unknown addresses alike", async () => {
    const app = await server();
    const known: unknown[] = [];
    const unknown: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      known.push(await seen(app, "carol@example.test"));
      unknown.push(await seen(app, "nobody@example.test"));
    }
    known.push(await seen(app, "Carol@Example.test ", PASSWORD));
    unknown.push(await seen(app, "nobody@example.test", PASSWORD));
    // One answer for an account and for no account: the limit tells an attacker nothing.
    expect(known).toEqual(unknown);
    expect(known.slice(0, 3)).toEqual(
      Array(3).fill(expect.objectContaining({ status: 401, code: "invalid_credentials" })),
    );
    expect(known[3]).toEqual({
      status: 429,
      code: "rate_limited",
      detail: "too many failed logins for this address; try again in 30 s",
      retryAfter: "30",
    });

    later(30);
    expect(await seen(app, "carol@example.test")).toMatchObject({ status: 401 });
    expect(await seen(app, "carol@example.test", PASSWORD)).toMatchObject({ status: 429, retryAfter: "60" });
    later(59);
    expect(await seen(app, "carol@example.test", PASSWORD)).toMatchObject({ status: 429, retryAfter: "1" });
  });

  it("is reset by a successful login", async () => {
    const app = await server();
    later(1);
    expect((await login(app, "carol@example.test", PASSWORD)).statusCode).toBe(200);
    const row = await db.kysely
      .selectFrom("login_failures")
      .selectAll()
      .where("email_hash", "=", emailHash("carol@example.test"))
      .executeTakeFirst();
    expect(row).toBeUndefined();
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await login(app, "carol@example.test")).statusCode);
    expect(statuses).toEqual([401, 401, 401, 429]);
  });

  it("survives a restart: a new server on the same database still refuses", async () => {
    const first = await server();
    for (let i = 0; i < 3; i++) expect((await login(first, "dave@example.test")).statusCode).toBe(401);
    await first.close();
    const second = await server();
    expect(await seen(second, "dave@example.test", PASSWORD)).toMatchObject({
      status: 429,
      code: "rate_limited",
    });
    later(30);
    expect((await login(second, "dave@example.test", PASSWORD)).statusCode).toBe(200);
  });

  it("lets no concurrent guess past the limit", async () => {
    const app = await server();
    const statuses = await Promise.all(
      Array.from({ length: 20 }, () => login(app, "erin@example.test")),
    ).then((all) => all.map((r) => r.statusCode));
    expect(statuses.filter((s) => s === 401)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(17);
    const row = await db.kysely
      .selectFrom("login_failures")
      .select("failures")
      .where("email_hash", "=", emailHash("erin@example.test"))
      .executeTakeFirstOrThrow();
    expect(row.failures).toBe(3);
  });

  it("keeps no e-mail address in clear", async () => {
    const app = await server();
    await login(app, "frank@example.test");
    const rows = await db.kysely.selectFrom("login_failures").selectAll().execute();
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toMatch(/example\.test|frank/);
  });
});
