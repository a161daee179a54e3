import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The repository's root: the nearest folder above this module with cyberpolis' package.json. Found
 * by walking up rather than by a fixed `../..`, because the same code runs from `src/` (through tsx)
 * and bundled from `dist/cli/` (bin/cyberpolis.mjs), at different depths.
 */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, "utf8")).name === "cyberpolis") return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error("cyberpolis: package.json of the repository not found");
    dir = parent;
  }
}

export const REPO_ROOT = findRoot();

/** A path inside the repository, e.g. `repoPath("products")`. */
export function repoPath(...parts: string[]): string {
  return join(REPO_ROOT, ...parts);
}
