#!/usr/bin/env node
// Runs the CLI from the bundle `npm install` builds (scripts/build-cli.mjs) when it is newer than
// every source file, else the TypeScript sources directly through tsx: no build step is ever
// needed, and an edited source is never shadowed by a stale bundle.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const bundle = join(root, "dist/cli/main.mjs");

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    // The message catalogs (src/shared/i18n/locales/*.json) are bundled too.
    else if (/\.(ts|json)$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function bundleIsFresh() {
  try {
    return statSync(bundle).mtimeMs >= newestSource(join(root, "src"));
  } catch {
    return false;
  }
}

if (process.env.CYBERPOLIS_NO_BUNDLE !== "1" && bundleIsFresh()) {
  await import(bundle);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("../src/cli/main.ts");
}
