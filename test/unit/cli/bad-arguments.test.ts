import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { outputDir, outputFile, readInputFile } from "../../../src/cli/args.ts";

/**
 * Issue 10 item 10: every CLI command refuses a bad file, folder, date or id with one plain line and
 * exit 2 before it opens the database, so nothing is written. Runs the real CLI as a child process
 * on a temporary embedded database (DATA_DIR), which must never come into being.
 */
const repoRoot = resolve(import.meta.dirname, "../../..");
const tmp = mkdtempSync(join(tmpdir(), "cp-cli-args-"));
const dataDir = join(tmp, "data");
const aFile = join(tmp, "a-file");
writeFileSync(aFile, "not a folder");
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function cli(args: string[]) {
  return spawnSync(process.execPath, [join(repoRoot, "bin/cyberpolis.mjs"), ...args], {
    env: { ...process.env, DATA_DIR: dataDir },
    encoding: "utf8",
    // `billing run --out /proc/nope` used to hang: a hang is a failure, not a stuck test run.
    timeout: 40_000,
  });
}

const cases: [string, string[], RegExp][] = [
  [
    "helpline open for a policy that is no id",
    ["helpline", "open", "--policy", "nope", "--category", "hacking"],
    /--policy: must be a policy id/,
  ],
  [
    "helpline open at no instant",
    [
      "helpline",
      "open",
      "--policy",
      "00000000-0000-4000-8000-000000000000",
      "--category",
      "hacking",
      "--opened-at",
      "yesterday",
    ],
    /--opened-at: must be an ISO 8601 instant/,
  ],
  [
    "helpline consent of a negative amount",
    ["helpline", "consent", "00000000-0000-4000-8000-000000000000", "--max", "-5", "--by", "Sam"],
    /--max: must not be negative/,
  ],
  [
    "bank import of a missing file",
    ["bank", "import", "/nonexistent.xml"],
    /FILE: \/nonexistent.xml does not exist/,
  ],
  ["bank import of a folder", ["bank", "import", tmp], /FILE: .* is a folder, not a file/],
  [
    "payments confirm of a missing file",
    ["payments", "confirm", "/nonexistent.xml"],
    /FILE: \/nonexistent.xml does not exist/,
  ],
  ["billing run on year 0000", ["billing", "run", "--date", "0000-01-01"], /--date: must lie between/],
  [
    "billing run --out a file",
    ["billing", "run", "--date", "2026-01-01", "--out", aFile],
    /--out: .* is a file, not a folder/,
  ],
  [
    "billing run --out below a file",
    ["billing", "run", "--date", "2026-01-01", "--out", join(aFile, "x")],
    /--out: .* has a part that is not a folder/,
  ],
  [
    "billing run --out /proc/nope",
    ["billing", "run", "--date", "2026-01-01", "--out", "/proc/nope"],
    /--out: \/proc\/nope cannot be created on this file system/,
  ],
  [
    "billing charges --out a file",
    ["billing", "charges", "--date", "2026-01-01", "--out", aFile],
    /--out: .* is a file/,
  ],
  [
    "billing charges on year 0000",
    ["billing", "charges", "--date", "0000-01-01"],
    /--date: must lie between/,
  ],
  [
    "billing dunning on year 0000",
    ["billing", "dunning", "--date", "0000-01-01"],
    /--date: must lie between/,
  ],
  [
    "billing pay on year 0000",
    ["billing", "pay", "--invoice", "X", "--date", "0000-01-01"],
    /--date: must lie between/,
  ],
  [
    "payments export --out a file",
    ["payments", "export", "--date", "2026-01-01", "--out", aFile],
    /--out: .* is a file/,
  ],
  [
    "payments export --out /proc/nope",
    ["payments", "export", "--out", "/proc/nope"],
    /--out: \/proc\/nope cannot be created on this file system/,
  ],
  [
    "payments export on year 0000",
    ["payments", "export", "--date", "0000-01-01"],
    /--date: must lie between/,
  ],
  [
    "payments iban for a policy id that is no id",
    ["payments", "iban", "--policy", "nope", "--iban", "NL91ABNA0417164300", "--name", "X"],
    /--policy: must be a policy id \(a UUID\)/,
  ],
  ["ledger report --out a folder", ["ledger", "report", "--out", tmp], /--out: .* is a folder, not a file/],
  [
    "ledger report --out in a missing folder",
    ["ledger", "report", "--out", "/nonexistent/report.csv"],
    /--out: \/nonexistent does not exist/,
  ],
];

describe("CLI arguments that cannot work", () => {
  it.each(cases)(
    "%s: one plain line, exit 2, no database opened",
    { timeout: 60_000 },
    (_name, args, message) => {
      const r = cli(args);
      expect({ status: r.status, signal: r.signal }).toEqual({ status: 2, signal: null });
      expect(r.stderr).toMatch(new RegExp(`^error: ${message.source}[^\\n]*\\n$`));
      expect(existsSync(dataDir)).toBe(false);
    },
  );
});

describe("outputDir, outputFile, readInputFile", () => {
  it("creates a missing folder, level by level, and returns its absolute path", async () => {
    const nested = join(tmp, "out", "a", "b");
    expect(await outputDir(nested, "--out")).toBe(nested);
    expect(statSync(nested).isDirectory()).toBe(true);
    expect(await outputDir(nested, "--out")).toBe(nested);
  });

  it("refuses a folder no file can be created in (/proc)", async () => {
    await expect(outputDir("/proc", "--out")).rejects.toMatchObject({
      code: "validation_failed",
      message: "--out: /proc is not writable: the file system takes no new files",
    });
  });

  it("accepts a new or existing file in a writable folder; reads a file", async () => {
    const dir = join(tmp, "files");
    mkdirSync(dir);
    expect(await outputFile(join(dir, "r.csv"), "--out")).toBe(join(dir, "r.csv"));
    writeFileSync(join(dir, "r.csv"), "x");
    expect(await outputFile(join(dir, "r.csv"), "--out")).toBe(join(dir, "r.csv"));
    expect(await readInputFile(join(dir, "r.csv"), "FILE")).toBe("x");
    await expect(readInputFile("/dev/null", "FILE")).rejects.toMatchObject({
      message: "FILE: /dev/null is not a regular file",
    });
  });
});
