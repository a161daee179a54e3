import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db, openDatabase } from "../../../src/db/connection.ts";
import { migrate } from "../../../src/db/migrate.ts";
import { checkLedger } from "../../../src/ledger/check.ts";
import { defaultCatalog } from "../../../src/products/catalog.ts";
import { backend, createTestDb } from "../../support/db.ts";
import { seedPolicy } from "./seed.ts";

/**
 * Kills `billing run` with SIGKILL at several points, runs it again to the end, and expects exactly
 * one invoice per policy period and a balanced ledger. Needs a database that outlives the process:
 * a PGlite data dir in a temp folder, or a PostgreSQL database of its own.
 */

const BIN = join(import.meta.dirname, "../../../bin/cyberpolis.mjs");
// Fixed kill points (ms after start), so the test is the same on every run.
const KILL_AFTER = [500, 900, 1300, 1700, 2100, 2600, 3400];
// Enough that a run outlasts the first kill points on a fast, quiet machine too.
const POLICIES = 360;

let dir: string;
let env: Record<string, string>;
let db: Db | undefined;
let testDb: Db | undefined;

async function openShared(): Promise<Db> {
  if (backend === "postgres") return testDb!;
  return openDatabase({ dataDir: join(dir, "pglite") });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cp-crash-"));
  if (backend === "postgres") {
    testDb = await createTestDb();
    if (testDb.client.dialect !== "postgres") throw new Error("expected PostgreSQL");
    const url = testDb.client.pool.options.connectionString!;
    env = { DATABASE_URL: url };
  } else {
    await mkdir(join(dir, "pglite"), { recursive: true });
    env = { DATA_DIR: dir };
  }
  db = await openShared();
  await migrate(db);
  const ctx = { actor: "seed", now: new Date("2026-01-01T08:00:00Z"), catalog: defaultCatalog() };
  await db.kysely.transaction().execute(async (tx) => {
    for (let i = 0; i < POLICIES; i++) {
      await seedPolicy(tx, ctx, { startDate: `2026-01-${String((i % 28) + 1).padStart(2, "0")}` }, i);
    }
  });
  // PGlite is single-process: release the data dir for the CLI.
  if (backend === "pglite") {
    await db.close();
    db = undefined;
  }
}, 120_000);

afterAll(async () => {
  await db?.close();
  await testDb?.close();
  await rm(dir, { recursive: true, force: true });
});

function billing(
  args: string[],
  killAfter?: number,
): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        BIN,
        "billing",
        "run",
        "--date",
        "2026-03-01",
        "--chunk-size",
        "5",
        "--out",
        join(dir, "out"),
        ...args,
      ],
      {
        env: { ...process.env, ...env },
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = killAfter === undefined ? undefined : setTimeout(() => child.kill("SIGKILL"), killAfter);
    child.on("exit", (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stderr });
    });
  });
}

describe("billing run after crashes", () => {
  it("bills each period exactly once and keeps the ledger balanced", async () => {
    const killed: boolean[] = [];
    for (const ms of KILL_AFTER) killed.push((await billing([], ms)).signal === "SIGKILL");
    expect(killed).toContain(true);
    const workers = backend === "postgres" ? ["--workers", "2"] : [];
    const final = await billing(workers);
    expect(final.stderr).not.toMatch(/error/i);
    expect(final.code).toBe(0);
    db ??= await openShared();
    const rows = await db.kysely.selectFrom("invoices").select(["policy_id", "period_start"]).execute();
    // Monthly policies from 2026-01-01..28: Jan, Feb, and Mar for those starting on the 1st.
    const expected = POLICIES * 2 + Math.ceil(POLICIES / 28);
    expect(rows).toHaveLength(expected);
    expect(new Set(rows.map((r) => `${r.policy_id}|${r.period_start}`)).size).toBe(expected);
    const check = await checkLedger(db.kysely);
    expect(check.problems).toEqual([]);
    expect((await readdir(join(dir, "out"))).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  }, 120_000);
});
