import { Writable } from "node:stream";
import { quickAddJob, runMigrations } from "graphile-worker";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../../src/http/app.ts";
import { DEFAULT_HTTP_CONFIG } from "../../../src/http/config.ts";
import { defaultCatalog } from "../../../src/products/index.ts";
import { backend } from "../../support/db.ts";
import { claimBody, fileAs } from "./claims-support.ts";
import { call, NOW, startTestApp, type TestApp } from "./helpers.ts";

/** /metrics (protected), /health/live, /health/ready, and the caller on each request's log line. */
let t: TestApp;
const METRICS_TOKEN = "m".repeat(40);
const scraper = { headers: { authorization: `Bearer ${METRICS_TOKEN}` } };
beforeAll(async () => {
  t = await startTestApp({ metricsToken: METRICS_TOKEN });
  await fileAs(t, t.alice, claimBody(t.alice.policyId));
});
afterAll(() => t.close());

const metricLine = (text: string, prefix: string) =>
  text.split("\n").find((l) => l.startsWith(prefix)) ?? `${prefix} (missing)`;

describe("/metrics", () => {
  it("answers the scraper's token and staff; nobody else", async () => {
    expect((await call(t.app, null, "GET", "/metrics")).statusCode).toBe(401);
    expect(
      (await call(t.app, { headers: { authorization: `Bearer ${"x".repeat(40)}` } }, "GET", "/metrics"))
        .statusCode,
    ).toBe(401);
    expect((await call(t.app, t.alice, "GET", "/metrics")).statusCode).toBe(403);
    expect((await call(t.app, t.staff.finance, "GET", "/metrics")).statusCode).toBe(200);
    const res = await call(t.app, scraper, "GET", "/metrics");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it("has request durations by route pattern, claims by status, premium and the job queue", async () => {
    await call(t.app, t.alice, "GET", `/api/policies/${t.alice.policyId}`);
    const text = (await call(t.app, scraper, "GET", "/metrics")).body;
    expect(text).toMatch(
      /cyberpolis_http_request_duration_seconds_count\{method="GET",route="\/api\/policies\/:id",status_code="200"\} 1/,
    );
    expect(text).not.toContain(t.alice.policyId);
    const statuses = ["new", "needs_information", "approved", "denied", "referred"];
    const claims = statuses.map((s) =>
      Number(metricLine(text, `cyberpolis_claims{status="${s}"}`).split(" ")[1]),
    );
    expect(claims.reduce((a, b) => a + b, 0)).toBe(1);
    expect(metricLine(text, 'cyberpolis_premium_euros{kind="billed"}')).toMatch(/ \d+(\.\d+)?$/);
    expect(metricLine(text, 'cyberpolis_premium_euros{kind="collected"}')).toMatch(/ -?\d+(\.\d+)?$/);
    if (backend === "pglite") {
      // No graphile-worker queue on the embedded database: zeros, not a missing series.
      expect(text).toContain('cyberpolis_job_queue_jobs{task="all",state="failed"} 0');
    }
  });

  it.runIf(backend === "postgres")("counts graphile-worker's jobs and the pool's connections", async () => {
    const pool = t.db.client.dialect === "postgres" ? t.db.client.pool : null;
    const connectionString = pool!.options.connectionString!;
    await runMigrations({ connectionString, logger: undefined });
    await quickAddJob({ connectionString }, "metrics_probe", {});
    const app = await buildApp({
      db: t.db.kysely,
      catalog: defaultCatalog(),
      clock: () => NOW,
      pool: () => ({ total: pool!.totalCount, idle: pool!.idleCount, waiting: pool!.waitingCount }),
      config: {
        ...DEFAULT_HTTP_CONFIG,
        sessionSecret: "s".repeat(40),
        logLevel: "silent",
        metricsToken: METRICS_TOKEN,
      },
    });
    try {
      const text = (await call(app, scraper, "GET", "/metrics")).body;
      expect(text).toContain('cyberpolis_job_queue_jobs{task="metrics_probe",state="waiting"} 1');
      expect(text).toContain('cyberpolis_job_queue_jobs{task="metrics_probe",state="failed"} 0');
      expect(
        Number(metricLine(text, 'cyberpolis_db_pool_connections{state="total"}').split(" ")[1]),
      ).toBeGreaterThan(0);
    } finally {
      await app.close();
      await sql`drop schema graphile_worker cascade`.execute(t.db.kysely);
    }
  });
});

describe("health", () => {
  it("is live without the database, ready when the database answers and every migration is applied", async () => {
    expect((await call(t.app, null, "GET", "/health/live")).json()).toEqual({ status: "ok" });
    expect((await call(t.app, null, "GET", "/health/ready")).json()).toEqual({ status: "ready" });
    const last = await t.db.kysely
      .withTables<{ schema_migrations: { name: string; checksum: string; applied_at: Date } }>()
      .deleteFrom("schema_migrations")
      .where("name", "=", "20261206_0022_accounts")
      .returningAll()
      .executeTakeFirstOrThrow();
    try {
      const res = await call(t.app, null, "GET", "/health/ready");
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({
        status: "not_ready",
        reason: "migrations pending: 20261206_0022_accounts",
      });
    } finally {
      await t.db.kysely
        .withTables<{ schema_migrations: { name: string; checksum: string; applied_at: Date } }>()
        .insertInto("schema_migrations")
        .values(last)
        .execute();
    }
  });
});

describe("request log lines", () => {
  it("name the caller's user id, and never the bearer token", async () => {
    const lines: string[] = [];
    const logStream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).split("\n").filter(Boolean));
        done();
      },
    });
    const app = await buildApp(
      {
        db: t.db.kysely,
        catalog: defaultCatalog(),
        clock: () => NOW,
        config: { ...DEFAULT_HTTP_CONFIG, sessionSecret: "s".repeat(40), logLevel: "info" },
      },
      { logStream },
    );
    try {
      const res = await call(app, t.alice, "GET", "/api/auth/me");
      const logged = lines.map((l) => JSON.parse(l) as { msg?: string; reqId?: string; userId?: string });
      const done = logged.find(
        (l) => l.msg === "request completed" && l.reqId === res.headers["x-request-id"],
      );
      expect(done?.userId).toBe(t.alice.userId);
      expect(lines.join("\n")).not.toContain(t.alice.headers.authorization!.slice(7));
    } finally {
      await app.close();
    }
  });
});
