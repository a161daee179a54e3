import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openEmbedded } from "../../src/db/template.ts";
import { addDays } from "../../src/shared/dates.ts";
import { backend } from "../support/db.ts";

/**
 * Issue 14 item 1: with `npm start` on the embedded database, the CLI's finance commands used to
 * write to their own copy of the folder, and the writes were lost. Now the server owns the folder
 * and the CLI does them through the server's finance API: every write is found afterwards, and the
 * ledger checks.
 */
const repoRoot = resolve(import.meta.dirname, "../..");
const dataDir = mkdtempSync(join(tmpdir(), "cp-beside-"));
const env = { ...process.env, DATABASE_URL: "", DATA_DIR: dataDir, PORT: "0", LOG_LEVEL: "warn" };
const today = new Date().toISOString().slice(0, 10);
let server: ChildProcess | null = null;

const cli = (args: string[]) =>
  spawnSync(process.execPath, [join(repoRoot, "bin/cyberpolis.mjs"), ...args], {
    encoding: "utf8",
    timeout: 120_000,
    env,
  });

async function startServer(): Promise<void> {
  const child = spawn(process.execPath, [join(repoRoot, "bin/cyberpolis.mjs"), "serve"], {
    env,
    cwd: repoRoot,
  });
  server = child;
  let seen = "";
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not start: ${seen}`)), 90_000);
    const look = (chunk: Buffer) => {
      seen += chunk.toString();
      if (/ready \d+ ms/.test(seen)) {
        clearTimeout(timer);
        ready();
      }
    };
    child.stdout.on("data", look);
    child.stderr.on("data", look);
    child.on("exit", (code) => fail(new Error(`server exited ${code}: ${seen}`)));
  });
}

async function stopServer(): Promise<void> {
  const child = server;
  if (!child || child.exitCode !== null) return;
  await new Promise<void>((done) => {
    child.once("exit", () => done());
    child.kill("SIGTERM");
  });
  server = null;
}

describe.skipIf(backend === "postgres")("the CLI beside a running server on the embedded database", () => {
  beforeAll(startServer, 120_000);
  afterAll(async () => {
    await stopServer();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("does every finance command through the server, and nothing is lost", { timeout: 240_000 }, async () => {
    const exported = cli(["payments", "export", "--date", today]);
    expect(exported.stderr).toContain("done by the server");
    expect([0, 1]).toContain(exported.status);
    const file = /(CP-CT-\d{8}-\d+)/.exec(exported.stdout)?.[1] ?? null;

    const dunned = cli(["billing", "dunning", "--date", addDays(today, 45)]);
    expect(dunned.status).toBe(0);
    expect(dunned.stdout).toMatch(/^dunning \d{4}-\d{2}-\d{2}: \d+ letters for \d+ unpaid/m);
    const letters = Number(/: (\d+) letters/.exec(dunned.stdout)?.[1]);

    const billed = cli(["billing", "run", "--date", addDays(today, 40)]);
    expect(billed.status).toBe(0);
    expect(billed.stdout).toMatch(/^billing run /m);

    const refused = cli(["billing", "run", "--date", today, "--out", "/tmp/elsewhere"]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/--out: not available while the server \(pid \d+\) owns/);

    const checked = cli(["ledger", "check"]);
    expect(checked.stdout).toContain("ledger OK");
    expect(checked.status).toBe(0);

    // Stopped, the folder is the CLI's again: the writes are in it, and the ledger checks.
    await stopServer();
    const local = cli(["ledger", "check"]);
    expect(local.stderr).not.toContain("done by the server");
    expect(local.stdout).toContain("ledger OK");
    expect(local.status).toBe(0);
    const db = await openEmbedded({ dataDir: join(dataDir, "pglite") });
    try {
      const batches = await db.kysely
        .selectFrom("payment_batches")
        .select("message_id")
        .where("kind", "=", "credit_transfer")
        .execute();
      expect(batches.map((b) => b.message_id)).toEqual(file ? [file] : []);
      const written = await db.kysely.selectFrom("premium_letters").select("id").execute();
      expect(written.length).toBeGreaterThanOrEqual(letters);
      const runs = await db.kysely.selectFrom("billing_runs").select("run_date").execute();
      expect(runs.map((r) => String(r.run_date))).toContain(addDays(today, 40));
    } finally {
      await db.close();
    }
    expect(existsSync(join(dataDir, "pglite.server.json"))).toBe(false);
  });
});
