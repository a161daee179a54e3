import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/** Issue 14 item 9: `--json` on the commands that report: one object on stdout, same exit code. */
const repoRoot = resolve(import.meta.dirname, "../../..");
const tmp = mkdtempSync(join(tmpdir(), "cp-json-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const cli = (args: string[]) =>
  spawnSync(process.execPath, [join(repoRoot, "bin/cyberpolis.mjs"), ...args], {
    encoding: "utf8",
    timeout: 90_000,
    env: { ...process.env, DATABASE_URL: "", DATA_DIR: tmp },
  });

describe("--json", () => {
  it("ledger check, dunning and payments export each print one JSON object", { timeout: 120_000 }, () => {
    const ledger = cli(["ledger", "check", "--json"]);
    expect(ledger.status).toBe(0);
    const l = JSON.parse(ledger.stdout) as {
      ok: boolean;
      lines: string[];
      data: { ok: boolean; total: number };
    };
    expect(l).toMatchObject({ ok: true, data: { ok: true, total: 0 } });
    expect(l.lines.at(-1)).toBe("ledger OK");

    const dunning = cli(["billing", "dunning", "--date", "2026-12-01", "--json"]);
    expect(dunning.status).toBe(0);
    expect(JSON.parse(dunning.stdout)).toMatchObject({
      ok: true,
      data: { date: "2026-12-01", letters: 0, reminders: [] },
    });

    const exported = cli(["payments", "export", "--date", "2026-12-01", "--json"]);
    expect(exported.status).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({ ok: true, data: { file: null, withoutAccount: [] } });
  });

  it("worker --list --json lists the jobs as data", { timeout: 60_000 }, () => {
    const r = cli(["worker", "--list", "--json"]);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout) as { data: { name: string; schedule: string }[] };
    expect(j.data.map((x) => x.name)).toEqual(
      expect.arrayContaining(["billing_run", "billing_dunning", "payments_export"]),
    );
  });
});
