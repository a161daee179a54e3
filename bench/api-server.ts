/**
 * The server half of `npm run bench:api`, in its own process so its memory is measured without
 * the load generator's. Prints one JSON line {url, token, policyIds} once it listens; runs until
 * killed. PGlite in memory, or the PostgreSQL server of DATABASE_URL.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { type Db, openDatabase, pgliteParsers } from "../src/db/connection.ts";
import { migrate } from "../src/db/migrate.ts";
import { migratedTemplate, openEmbedded } from "../src/db/template.ts";
import { buildApp } from "../src/http/app.ts";
import { DEFAULT_HTTP_CONFIG } from "../src/http/config.ts";
import { createApiToken, createUser } from "../src/identity/service.ts";
import { bindPolicy } from "../src/policies/service.ts";
import { defaultCatalog } from "../src/products/catalog.ts";
import { addDays } from "../src/shared/dates.ts";

const POLICIES = 200;
const catalog = defaultCatalog();
// BENCH_POOL: pg pool size (default 10: measured against 20 with 100 connections on two cores,
// see bench/api.ts). Node is the bottleneck, so more connections only add idle transactions.
const poolSize = Number(process.env.BENCH_POOL ?? 10);
// PGlite starts from the migrated template, as `cyberpolis serve` does: running initdb in this
// process would put its WASM heap into the measured peak RSS. BENCH_PGLITE_PARAMS adds settings
// ("-c shared_buffers=16MB"), BENCH_PGLITE_INITIAL_MB sets the WASM heap's initial size.
// BENCH_PGLITE_DATA_DIR=1: a new on-disk data dir opened as the server opens it (openEmbedded).
const dataDir = process.env.BENCH_PGLITE_DATA_DIR ? mkdtempSync(join(tmpdir(), "cyberpolis-bench-")) : null;
async function openBenchDb(): Promise<Db> {
  if (process.env.DATABASE_URL) return openDatabase({ url: process.env.DATABASE_URL, poolSize });
  if (dataDir) return openEmbedded({ dataDir: join(dataDir, "pglite") });
  const params = process.env.BENCH_PGLITE_PARAMS?.split(" ").filter(Boolean) ?? [];
  const initialMb = Number(process.env.BENCH_PGLITE_INITIAL_MB ?? 0);
  const pglite = new PGlite({
    loadDataDir: await migratedTemplate(),
    parsers: pgliteParsers,
    ...(params.length > 0 ? { startParams: [...PGlite.defaultStartParams, ...params] } : {}),
    ...(initialMb > 0 ? { initialMemory: initialMb * 1024 * 1024 } : {}),
  });
  return openDatabase({ pglite });
}
const db = await openBenchDb();
await migrate(db);
const app = await buildApp({
  db: db.kysely,
  catalog,
  clock: () => new Date(),
  config: {
    ...DEFAULT_HTTP_CONFIG,
    sessionSecret: randomUUID() + randomUUID(),
    logLevel: "silent",
    // One bench token sends thousands of requests a second: the limiter counts, never refuses.
    rateLimits: {
      general: { max: 1e9, windowMs: 60_000 },
      exports: { max: 1e9, windowMs: 60_000 },
      uploads: { max: 1e9, windowMs: 60_000 },
    },
  },
});
const url = await app.listen({ port: 0, host: "127.0.0.1" });

// One policyholder with many policies, so claims don't all queue on one limit row.
const today = new Date().toISOString().slice(0, 10);
const ctx = { actor: "bench", now: new Date(), catalog };
// BENCH_SERVE_ONLY=1: a second API process on the first one's PostgreSQL data (the two-instance phase).
const setup = process.env.BENCH_SERVE_ONLY
  ? {}
  : await db.kysely.transaction().execute(async (tx) => {
      const policy = (partyId: string | null) =>
        bindPolicy(tx, ctx, {
          productCode: "nl-cyber",
          party: partyId
            ? { partyId }
            : { name: "Bench Holder", email: `bench-${randomUUID()}@example.test` },
          household: "family",
          startDate: addDays(today, -30),
          paymentFrequency: "annual",
          paymentMethod: "bank_transfer",
        });
      const first = await policy(null);
      const policyIds = [first.id];
      for (let i = 1; i < POLICIES; i++) policyIds.push((await policy(first.party_id)).id);
      const user = await createUser(tx, ctx, {
        email: `bench-${randomUUID()}@example.test`,
        password: "bench password 123",
        role: "policyholder",
        displayName: "Bench",
        partyId: first.party_id,
      });
      const { token } = await createApiToken(tx, ctx, { userId: user.id, label: "bench" });
      return { token, policyIds };
    });
process.stdout.write(`${JSON.stringify({ url, today, ...setup })}\n`);
process.on("SIGTERM", () => {
  void app
    .close()
    .then(() => db.close())
    .then(() => {
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    });
});
