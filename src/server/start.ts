import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { runBilling } from "../billing/index.ts";
import type { Db } from "../db/connection.ts";
import { migrate } from "../db/migrate.ts";
import { DEMO_PASSWORD, type DemoLogin, seedDemo } from "../demo/seed.ts";
import { buildApp } from "../http/app.ts";
import { purgeIdempotencyKeys } from "../idempotency/index.ts";
import { anyUserExists } from "../identity/index.ts";
import { type Catalog, defaultCatalog } from "../products/index.ts";
import { addDays } from "../shared/dates.ts";
import { AppError } from "../shared/errors.ts";
import { openFor, type ServerConfig } from "./config.ts";
import { newLocalCliToken, publishForCli } from "./local-cli.ts";
import { waitForDatabase } from "./wait-for-db.ts";

export interface Running {
  app: FastifyInstance;
  db: Db;
  url: string;
  /** Set when this start loaded the demo data. */
  demo: DemoLogin[] | null;
  close(): Promise<void>;
}

/**
 * Opens and migrates the database, loads the demo data into an empty one (first start only: an
 * existing data dir already has users, so later starts skip it and stay fast), then listens.
 */
export async function startServer(config: ServerConfig, opening = openFor(config)): Promise<Running> {
  const catalog = defaultCatalog();
  const db = await opening;
  try {
    if (config.databaseUrl) await waitForDatabase(db, { waitSeconds: config.databaseWaitSeconds });
    await migrate(db);
    let demo: DemoLogin[] | null = null;
    if (config.seedDemo) {
      if (!(await anyUserExists(db.kysely))) {
        const now = new Date();
        const today = now.toISOString().slice(0, 10);
        demo = await db.kysely
          .transaction()
          .execute((tx) => seedDemo(tx, { actor: "demo", now, catalog }, today));
        // The demo households' premium so far: invoices, ledger entries and the pain.008 files.
        await runBilling(
          db.kysely,
          { actor: "demo", now, catalog },
          {
            date: today,
            outDir: join(config.dataDir, "bank-out"),
            config: config.billing,
          },
        );
      }
    }
    // Idempotency keys are kept a week: long enough for any client's retries.
    await purgeIdempotencyKeys(
      db.kysely,
      new Date(`${addDays(new Date().toISOString().slice(0, 10), -7)}T00:00:00Z`),
    );
    const redis = config.redisUrl ? await connectRedis(config.redisUrl) : null;
    // The CLI beside a server on the embedded database goes through its API (local-cli.ts).
    const localCliToken = config.databaseUrl ? null : newLocalCliToken();
    const app = await buildApp({
      db: db.kysely,
      catalog,
      config: config.http,
      clock: () => new Date(),
      localCliToken,
      bankDir: config.bankDir,
      pooled: db.dialect === "postgres",
      ...(redis ? { redis } : {}),
      ...poolStats(db),
    });
    app.addHook("onClose", async () => {
      await redis?.quit();
    });
    const address = await app.listen({ port: config.port, host: config.host });
    const published = localCliToken
      ? publishForCli(config.dataDir, { url: address, token: localCliToken })
      : null;
    // On the embedded database nobody else can reach the folder, so the server runs the
    // scheduled jobs itself; on PostgreSQL that is `cyberpolis worker`'s work.
    const jobs = config.databaseUrl || !config.runJobs ? null : await startEmbeddedJobs(db, catalog, config);
    return {
      app,
      db,
      url: address,
      demo,
      close: async () => {
        published?.();
        await jobs?.stop();
        await app.close();
        await db.close();
      },
    };
  } catch (e) {
    await db.close();
    throw e;
  }
}

/** The pg pool's counters for /metrics; the embedded database has no pool. */
function poolStats(db: Db) {
  if (db.client.dialect !== "postgres") return {};
  const pool = db.client.pool;
  return { pool: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }) };
}

/** The shared rate-limit store; an unreachable one is one line naming REDIS_URL, not a trace. */
async function connectRedis(url: string) {
  const { Redis } = await import("ioredis");
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, connectTimeout: 5000 });
  redis.on("error", () => {}); // reconnects by itself; a failed request is counted as allowed
  try {
    await redis.connect();
  } catch (e) {
    redis.disconnect();
    throw new AppError("validation_failed", `REDIS_URL: cannot reach Redis (${(e as Error).message})`);
  }
  return redis;
}

async function startEmbeddedJobs(db: Db, catalog: Catalog, config: ServerConfig) {
  const { startScheduler } = await import("../jobs/embedded.ts");
  const { JOBS } = await import("../jobs/tasks.ts");
  return startScheduler({
    db: db.kysely,
    jobs: JOBS,
    env: { bankDir: config.bankDir },
    catalog,
    clock: () => new Date(),
    log: (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`),
  });
}

export function banner(r: Running, config: ServerConfig): string {
  const lines = [
    `cyberpolis is listening on ${r.url}`,
    `  API ${r.url}/api   docs ${r.url}/docs   OpenAPI ${r.url}/openapi.json`,
    `  health ${r.url}/health/live ${r.url}/health/ready   metrics ${r.url}/metrics (METRICS_TOKEN or staff)`,
    `  database: ${config.databaseUrl ? "PostgreSQL (DATABASE_URL)" : `embedded PGlite in ${join(config.dataDir, "pglite")}`}`,
  ];
  if (r.demo) {
    lines.push(`  demo data loaded; every demo user's password is "${DEMO_PASSWORD}":`);
    for (const l of r.demo) lines.push(`    ${l.role.padEnd(15)} ${l.email.padEnd(32)} ${l.name}`);
  }
  return lines.join("\n");
}
