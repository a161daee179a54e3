import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readPdf } from "../../support/pdf.ts";

/** `cyberpolis documents ipid`: the real CLI as a child process; bad input is one line and exit 2. */
const repoRoot = resolve(import.meta.dirname, "../../..");
const tmp = mkdtempSync(join(tmpdir(), "cp-cli-docs-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function cli(args: string[]) {
  return spawnSync(process.execPath, [join(repoRoot, "bin/cyberpolis.mjs"), ...args], {
    env: { ...process.env, DATA_DIR: join(tmp, "data") },
    encoding: "utf8",
    timeout: 40_000,
  });
}

describe("cyberpolis documents ipid", () => {
  it("writes the IPID of a version in a language", () => {
    const out = join(tmp, "be-fr.pdf");
    const r = cli(["documents", "ipid", "be-cyber-care", "--version", "1", "--lang", "fr", "--out", out]);
    expect(r.status).toBe(0);
    const pdf = readPdf(readFileSync(out));
    expect(pdf.text).toContain("Document d'information sur le produit d'assurance");
    expect(pdf.pageSize).toContain("A4");
  });

  it("writes the latest version in the product's default language without options", () => {
    const out = join(tmp, "nl.pdf");
    expect(cli(["documents", "ipid", "nl-cyber", "--out", out]).status).toBe(0);
    expect(readPdf(readFileSync(out)).text).toContain("Informatiedocument over verzekeringsproducten");
  });

  it.each([
    ["an unknown product", ["nope"], /unknown product "nope"/],
    ["an unknown version", ["nl-cyber", "--version", "7"], /no version 7/],
    ["a version that is no number", ["nl-cyber", "--version", "x"], /--version: must be a version number/],
    ["an unknown language", ["nl-cyber", "--lang", "de"], /--lang: must be nl, fr or en/],
    ["a language the IPID is not in", ["nl-cyber", "--lang", "fr"], /not published in fr/],
  ])("refuses %s with exit 2 and writes nothing", (_what, args, message) => {
    const out = join(tmp, `refused-${args.join("-")}.pdf`);
    const r = cli(["documents", "ipid", ...args, "--out", out]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });
});
