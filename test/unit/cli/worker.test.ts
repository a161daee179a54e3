import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/** `cyberpolis worker`: the jobs it knows, one run on demand, and a plain refusal of an unknown job. */
const repoRoot = resolve(import.meta.dirname, "../../..");
const tmp = mkdtempSync(join(tmpdir(), "cp-worker-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const cli = (args: string[]) =>
  spawnSync(process.execPath, [join(repoRoot, "bin/cyberpolis.mjs"), ...args], {
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, DATABASE_URL: "", DATA_DIR: tmp },
  });

describe("cyberpolis worker", () => {
  it("lists the scheduled jobs with their crontab", { timeout: 60_000 }, () => {
    const r = cli(["worker", "--list"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^billing_run\s+0 2 1 \* \*/m);
    expect(r.stdout).toMatch(/^billing_dunning\s+0 4 \* \* \*/m);
    expect(r.stdout).toMatch(/^payments_export\s+0 5 \* \* 1-5/m);
  });

  it("refuses an unknown job with exit 2, naming the known ones", { timeout: 60_000 }, () => {
    const r = cli(["worker", "--run", "billing_rnu"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown job "billing_rnu" \(one of billing_run, billing_dunning/);
  });

  it("runs one job now on the embedded database", { timeout: 90_000 }, () => {
    const r = cli(["worker", "--run", "billing_dunning"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /^billing_dunning: dunning \d{4}-\d{2}-\d{2}: 0 letters for 0 unpaid invoices and charges$/m,
    );
  });
});
