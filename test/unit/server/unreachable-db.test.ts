import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/** `serve` on a DATABASE_URL nobody answers: one line per retry, then one error line; no stack. */
const BIN = resolve(import.meta.dirname, "../../../bin/cyberpolis.mjs");
const dir = mkdtempSync(join(tmpdir(), "cp-unreachable-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("an unreachable database at start", () => {
  it("is retried with a growing wait, each attempt one line, and ends with exit 70", () => {
    const r = spawnSync(process.execPath, [BIN, "serve"], {
      env: {
        ...process.env,
        DATA_DIR: dir,
        DATABASE_URL: "postgres://postgres@127.0.0.1:1/none",
        // Retries after 1 s and 2 s fit in 5 s (with 2 s to spare on a busy machine); one after 4 s more does not.
        DATABASE_WAIT_SECONDS: "5",
        SESSION_SECRET: "s".repeat(40),
        BILLING_CREDITOR_NAME: "Echte Verzekeringen NV",
        BILLING_CREDITOR_ID: "NL48ZZZ302655000000",
        BILLING_CREDITOR_IBAN: "NL44RABO0123456789",
      },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(r.status).toBe(70);
    expect(r.stderr.trim().split("\n")).toEqual([
      "cyberpolis: cannot reach the database (connect ECONNREFUSED 127.0.0.1:1); retrying in 1 s",
      "cyberpolis: cannot reach the database (connect ECONNREFUSED 127.0.0.1:1); retrying in 2 s",
      "error: cannot reach the database (connect ECONNREFUSED 127.0.0.1:1); check DATABASE_URL and that the server runs",
    ]);
    expect(r.stdout).toBe("");
  });
});
