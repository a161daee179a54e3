import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/** The real CLI: `--version`, and a mistyped option is bad input (exit 2) like every other refusal. */
const repoRoot = resolve(import.meta.dirname, "../../..");
const cli = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [join(repoRoot, "bin/cyberpolis.mjs"), ...args], {
    encoding: "utf8",
    timeout: 40_000,
    env: { ...process.env, ...env },
  });

describe("the cyberpolis command", () => {
  it("prints its version and exits 0", { timeout: 60_000 }, () => {
    const { version } = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as {
      version: string;
    };
    const r = cli(["--version"]);
    expect({ status: r.status, out: r.stdout.trim() }).toEqual({ status: 0, out: version });
  });

  it("exits 2 on an unknown option or a missing required one", { timeout: 60_000 }, () => {
    const unknown = cli(["billing", "run", "--date", "2026-01-31", "--bogus"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown option '--bogus'/);
    const missing = cli(["billing", "run"]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/required option '--date/);
  });

  it("says in one line that the database cannot be reached, without a stack trace", {
    timeout: 60_000,
  }, () => {
    // Port 1 on loopback: nothing listens there, the connection is refused at once.
    const r = cli(["ledger", "check"], { DATABASE_URL: "postgres://postgres:secret@127.0.0.1:1/none" });
    expect(r.status).toBe(70);
    expect(r.stderr).toMatch(
      /^error: cannot reach the database \(connect ECONNREFUSED 127\.0\.0\.1:1\); check DATABASE_URL[^\n]*\n$/,
    );
    expect(r.stderr).not.toContain("secret");
  });
});
