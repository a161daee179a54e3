// Bundles the CLI's TypeScript into dist/cli/ (npm install runs this): the CLI then starts without
// compiling a few hundred modules through tsx on every command. Dependencies stay external, and the
// commands' modules stay separate chunks, loaded only when their command runs. bin/cyberpolis.mjs
// uses the bundle only while it is newer than every source file, so an edit never runs stale code.
import { rm } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const outdir = `${root}dist/cli`;
await rm(outdir, { recursive: true, force: true });
await build({
  entryPoints: [`${root}src/cli/main.ts`],
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  outExtension: { ".js": ".mjs" },
  logLevel: "warning",
});
