import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bankXsdDir, importSchemas, PAIN_002_XSD } from "../../../src/bank/index.ts";

/** Item 7: imports are checked against the bank schemas by default, and refused without them. */
const repoRoot = resolve(import.meta.dirname, "../../..");
const empty = mkdtempSync(join(tmpdir(), "cp-xsd-"));
afterAll(() => rmSync(empty, { recursive: true, force: true }));

describe("bank schema folder", () => {
  it("defaults to ../shared/xsd beside the repository, whatever the working directory", () => {
    expect(bankXsdDir({})).toBe(resolve(repoRoot, "../shared/xsd"));
    expect(importSchemas("pain.002.001.10", { skip: false, env: {} }).pain002Xsd).toBe(
      resolve(repoRoot, "../shared/xsd", PAIN_002_XSD),
    );
  });

  it("refuses when the folder or the pain.002 schema is missing, naming BANK_XSD_DIR", () => {
    expect(() =>
      importSchemas("pain.002.001.10", { skip: false, env: { BANK_XSD_DIR: "/nonexistent/xsd" } }),
    ).toThrow(/BANK_XSD_DIR=\/nonexistent\/xsd.*--skip-xsd/);
    expect(() => importSchemas("pain.002.001.10", { skip: false, env: { BANK_XSD_DIR: empty } })).toThrow(
      new RegExp(`${PAIN_002_XSD} is not in the bank schema folder`),
    );
    expect(() =>
      importSchemas("camt.054.001.08", { skip: false, env: { BANK_XSD_DIR: "/nonexistent/xsd" } }),
    ).toThrow(/does not exist/);
  });

  it("--skip-xsd says so; a camt.054 is checked when its version's schema is present", () => {
    expect(importSchemas("pain.002.001.10", { skip: true, env: { BANK_XSD_DIR: "/nonexistent" } })).toEqual({
      pain002Xsd: null,
      camt054Xsd: null,
      note: "XSD check skipped (--skip-xsd)",
    });
    expect(importSchemas("camt.054.001.08", { skip: false, env: { BANK_XSD_DIR: empty } }).note).toMatch(
      /no camt.054.001.08 XSD/,
    );
    writeFileSync(join(empty, "camt.054.001.08.xsd"), "<xs:schema/>");
    expect(importSchemas("camt.054.001.08", { skip: false, env: { BANK_XSD_DIR: empty } }).camt054Xsd).toBe(
      join(empty, "camt.054.001.08.xsd"),
    );
  });

  it("the CLI exits non-zero with the message and opens no database", () => {
    const dataDir = mkdtempSync(join(tmpdir(), "cp-xsd-data-"));
    try {
      const file = join(repoRoot, "test/fixtures/bank/pain002-epc-rejects.xml");
      const r = spawnSync(process.execPath, [join(repoRoot, "bin/cyberpolis.mjs"), "bank", "import", file], {
        env: { ...process.env, BANK_XSD_DIR: "/nonexistent/xsd", DATA_DIR: dataDir },
        encoding: "utf8",
      });
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/error: .*BANK_XSD_DIR=\/nonexistent\/xsd/);
      expect(spawnSync("ls", [dataDir], { encoding: "utf8" }).stdout.trim()).toBe("");
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
