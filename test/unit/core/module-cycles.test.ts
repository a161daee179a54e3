import { cruise } from "dependency-cruiser";
import { describe, expect, it } from "vitest";

/**
 * Issue 11 item 2: no runtime import cycle between module folders (billing ↔ payments and
 * billing ↔ policies were two). dependency-cruiser's own cycle rule sees files; a cycle between
 * folders can run through files that form no file cycle, so it is checked here on the folder
 * graph of the run-time imports.
 */
describe("module folders", () => {
  it("import each other without a cycle at run time", { timeout: 120_000 }, async () => {
    const result = await cruise(["src"], {
      doNotFollow: { path: "node_modules" },
      tsPreCompilationDeps: false,
      tsConfig: { fileName: "tsconfig.json" },
    });
    const output = result.output;
    if (typeof output === "string") throw new Error("dependency-cruiser returned text, not modules");
    const folderOf = (p: string) => /^src\/([^/]+)\//.exec(p)?.[1] ?? null;
    const edges = new Map<string, Set<string>>();
    for (const m of output.modules) {
      const from = folderOf(m.source);
      if (!from) continue;
      for (const d of m.dependencies) {
        const to = folderOf(d.resolved);
        if (to && to !== from) edges.set(from, (edges.get(from) ?? new Set()).add(to));
      }
    }
    expect(edges.size).toBeGreaterThan(5);
    // A folder is on a cycle when it reaches itself.
    const reaches = (start: string): Set<string> => {
      const seen = new Set<string>();
      const stack = [...(edges.get(start) ?? [])];
      while (stack.length > 0) {
        const f = stack.pop()!;
        if (seen.has(f)) continue;
        seen.add(f);
        stack.push(...(edges.get(f) ?? []));
      }
      return seen;
    };
    const onCycle = [...edges.keys()].filter((f) => reaches(f).has(f)).sort();
    expect(onCycle).toEqual([]);
  });
});
