import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/connection.ts";
import { backend, createTestDb } from "../support/db.ts";

/**
 * `cyberpolis serve` on PostgreSQL as an operator runs it: production settings checked before
 * anything starts, the banner on stderr and only JSON log lines on stdout.
 */
const BIN = resolve(import.meta.dirname, "../../bin/cyberpolis.mjs");
const INSURER = {
  BILLING_CREDITOR_NAME: "Echte Verzekeringen NV",
  BILLING_CREDITOR_ID: "NL48ZZZ302655000000",
  BILLING_CREDITOR_IBAN: "NL44RABO0123456789",
};
let db: Db;
let dir: string;
beforeAll(async () => {
  db = await createTestDb();
  dir = await mkdtemp(join(tmpdir(), "cp-serve-"));
});
afterAll(async () => {
  await db.close();
  await rm(dir, { recursive: true, force: true });
});

const url = () => (db.client.dialect === "postgres" ? db.client.pool.options.connectionString! : "");

describe.runIf(backend === "postgres")("serve on DATABASE_URL", () => {
  it("refuses to start without SESSION_SECRET or with the demo creditor: one line, exit 2", () => {
    const base = { ...process.env, DATA_DIR: dir, DATABASE_URL: url(), PORT: "0" };
    const cases: [Record<string, string>, RegExp][] = [
      [{ ...INSURER }, /^error: SESSION_SECRET is required with DATABASE_URL/],
      [{ SESSION_SECRET: "s".repeat(40) }, /^error: BILLING_CREDITOR_NAME is required with DATABASE_URL/],
      [{ SESSION_SECRET: "s".repeat(40), ...INSURER, LOG_LEVEL: "loud" }, /^error: LOG_LEVEL must be one of/],
    ];
    for (const [env, message] of cases) {
      const r = spawnSync(process.execPath, [BIN, "serve"], {
        env: { ...base, ...env },
        encoding: "utf8",
        timeout: 30_000,
      });
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
  });

  it("prints the banner on stderr and only JSON log lines on stdout", async () => {
    let child: ChildProcess | undefined;
    try {
      child = spawn(process.execPath, [BIN, "serve"], {
        env: {
          ...process.env,
          ...INSURER,
          DATABASE_URL: url(),
          DATA_DIR: dir,
          PORT: "0",
          SESSION_SECRET: "s".repeat(40),
          LOG_LEVEL: "info",
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      child.stdout!.on("data", (d: Buffer) => {
        stdout += d.toString();
      });
      const base = await new Promise<string>((ok, fail) => {
        let err = "";
        child!.stderr!.on("data", (d: Buffer) => {
          err += d.toString();
          const m = /listening on (http:\/\/\S+)/.exec(err);
          if (m) ok(m[1]!);
        });
        child!.on("exit", (code) => fail(new Error(`server exited ${code}: ${err}`)));
      });
      expect(await (await fetch(`${base}/health/ready`)).json()).toEqual({ status: "ready" });
      expect((await fetch(`${base}/metrics`)).status).toBe(401);
      // The log line of that request is written as the response ends.
      await new Promise<void>((ok) => {
        const check = () => (stdout.includes('"statusCode":401') ? ok() : setTimeout(check, 20));
        check();
      });
      const lines = stdout.split("\n").filter(Boolean);
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
      expect(stdout).not.toContain("listening on");
    } finally {
      child?.kill("SIGTERM");
    }
  });
});
