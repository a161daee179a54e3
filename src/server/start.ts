import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { billingConfig, runBilling } from "../billing/index.ts";
import type { Db } from "../db/connection.ts";
import { migrate } from "../db/migrate.ts";
import { DEMO_PASSWORD, type DemoLogin, seedDemo } from "../demo/seed.ts";
import { buildApp } from "../http/app.ts";
import { purgeIdempotencyKeys } from "../idempotency/index.ts";
import { type Catalog, defaultCatalog } from "../products/index.ts";
import { addDays } from "../shared/dates.ts";
import { openFor, type ServerConfig } from "./config.ts";
import { newLocalCliToken, publishForCli } from "./local-cli.ts";

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
    await migrate(db);
    let demo: DemoLogin[] | null = null;
    if (config.seedDemo) {
      const users = await db.kysely.selectFrom("users").select("id").limit(1).execute();
      if (users.length === 0) {
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
            config: billingConfig(),
          },
        );
      }
    }
    // Idempotency keys are kept a week: long enough for any client's retries.
    await purgeIdempotencyKeys(
      db.kysely,
      new Date(`${addDays(new Date().toISOString().slice(0, 10), -7)}T00:00:00Z`),
    );
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
    `  API ${r.url}/api   docs ${r.url}/docs   OpenAPI ${r.url}/openapi.json   health ${r.url}/health`,
    `  database: ${config.databaseUrl ? "PostgreSQL (DATABASE_URL)" : `embedded PGlite in ${join(config.dataDir, "pglite")}`}`,
  ];
  if (r.demo) {
    lines.push(`  demo data loaded; every demo user's password is "${DEMO_PASSWORD}":`);
    for (const l of r.demo) lines.push(`    ${l.role.padEnd(15)} ${l.email.padEnd(32)} ${l.name}`);
  }
  return lines.join("\n");
}
