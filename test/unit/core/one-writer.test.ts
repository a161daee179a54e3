import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * One writer per table (issue 11, item 1): the tables that carry an invariant — a payout's status
 * lifecycle, a section's annual limit, a claim's decision history — are written by their module's
 * store only. A write anywhere else fails here, naming the file.
 */
const SRC = join(import.meta.dirname, "../../../src");

const RULES: { table: string; owner: string; writes: RegExp[] }[] = [
  {
    table: "payouts",
    owner: "payments/store.ts",
    writes: [
      /updateTable\("payouts"\)/,
      /insertInto\("payouts"\)/,
      /\bupdate\s+payouts\b/i,
      /\binsert\s+into\s+payouts\b/i,
    ],
  },
  {
    table: "limit_usage",
    owner: "claims/store.ts",
    writes: [
      /insertInto\("limit_usage"\)/,
      /updateTable\("limit_usage"\)/,
      /\bupdate\s+limit_usage\b/i,
      /\binsert\s+into\s+limit_usage\b/i,
    ],
  },
  {
    table: "claim_decisions",
    owner: "claims/store.ts",
    writes: [/insertInto\("claim_decisions"\)/, /\binsert\s+into\s+claim_decisions\b/i],
  },
];

const sources = readdirSync(SRC, { recursive: true, encoding: "utf8" })
  .filter((f) => f.endsWith(".ts"))
  .map((f) => ({ file: f.split("\\").join("/"), text: readFileSync(join(SRC, f), "utf8") }));

describe("one writer per table", () => {
  it("reads the sources", () => {
    expect(sources.length).toBeGreaterThan(100);
  });

  for (const rule of RULES) {
    it(`writes ${rule.table} only in src/${rule.owner}`, () => {
      const elsewhere = sources
        .filter((s) => s.file !== rule.owner)
        .flatMap((s) => rule.writes.filter((w) => w.test(s.text)).map((w) => `src/${s.file}: ${w.source}`));
      expect(elsewhere).toEqual([]);
      // The owner does write it: a pattern that matches nothing anywhere would guard nothing.
      const owner = sources.find((s) => s.file === rule.owner);
      expect(owner && rule.writes.some((w) => w.test(owner.text))).toBe(true);
    });
  }
});
