import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/** `users create` on a temporary embedded database: the password only ever from standard input. */
const repoRoot = resolve(import.meta.dirname, "../../..");
const tmp = mkdtempSync(join(tmpdir(), "cp-cli-users-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function cli(args: string[], input: string) {
  return spawnSync(process.execPath, [join(repoRoot, "bin/cyberpolis.mjs"), "users", "create", ...args], {
    env: { ...process.env, DATA_DIR: join(tmp, "data"), DATABASE_URL: "" },
    input,
    encoding: "utf8",
    timeout: 60_000,
  });
}

describe("cyberpolis users create", () => {
  it("refuses bad input with one line and exit 2, before opening the database", () => {
    const cases: [string[], string, RegExp][] = [
      [
        ["--email", "not-an-address", "--role", "admin"],
        "a good long passphrase\n",
        /--email: is not an e-mail/,
      ],
      [
        ["--email", "a@example.test", "--role", "policyholder"],
        "a good long passphrase\n",
        /--role: must be one of/,
      ],
      [["--email", "a@example.test", "--role", "admin"], "short\n", /password: must be at least 10/],
      [
        ["--email", "a@example.test", "--role", "admin"],
        "1234567890\n",
        /password: is one of the most common/,
      ],
      [["--email", "a@example.test", "--role", "admin"], "", /password: none given/],
      [["--email", "a@example.test", "--role", "admin", "--password", "x"], "", /unknown option/],
    ];
    for (const [args, input, message] of cases) {
      const r = cli(args, input);
      expect({ args, status: r.status }).toEqual({ args, status: 2 });
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it("creates the first admin from standard input, and refuses the same address twice", () => {
    const ok = cli(["--email", "Admin@Example.test", "--role", "admin"], "a good long passphrase\n");
    expect(ok.stderr).toBe("");
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^created admin admin@example\.test \([0-9a-f-]{36}\)\n$/);
    expect(ok.stdout + ok.stderr).not.toContain("passphrase");
    const twice = cli(["--email", "admin@example.test", "--role", "finance"], "another long passphrase\n");
    expect(twice.status).toBe(2);
    expect(twice.stderr).toMatch(/a user with this email exists/);
  });
});
