import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/connection.ts";
import { openEmbedded } from "../../src/db/template.ts";
import { backend } from "../support/db.ts";

/**
 * Issue 14, item 1 (first half): PGlite keeps no lock on its folder, so a CLI command beside a
 * running server worked on its own copy and its writes were lost. One process owns a folder now;
 * another opener is refused with what to do, and a lock left by a dead process is taken over.
 */
const repoRoot = resolve(import.meta.dirname, "../..");
const tmp = mkdtempSync(join(tmpdir(), "cp-lock-"));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill("SIGKILL");
  rmSync(tmp, { recursive: true, force: true });
});

/** Another process that opens the folder and keeps it open until killed. */
async function holder(dataDir: string): Promise<ChildProcess> {
  const code = `import(${JSON.stringify(join(repoRoot, "src/db/template.ts"))}).then(async (m) => {
    await m.openEmbedded({ dataDir: ${JSON.stringify(dataDir)} });
    process.stdout.write("open\\n");
    setInterval(() => {}, 1000);
  });`;
  const child = spawn(process.execPath, ["--import", "tsx", "-e", code], { cwd: repoRoot });
  children.push(child);
  await new Promise<void>((ok, fail) => {
    child.stdout!.on("data", (d: Buffer) => d.toString().includes("open") && ok());
    child.on("exit", (c) => fail(new Error(`holder exited with ${c}`)));
  });
  return child;
}

describe.runIf(backend === "pglite")("the embedded database folder", () => {
  it("belongs to one process: another opener is refused, saying what to do", {
    timeout: 90_000,
  }, async () => {
    const dataDir = join(tmp, "a", "pglite");
    const child = await holder(dataDir);
    await expect(openEmbedded({ dataDir })).rejects.toMatchObject({
      code: "database_in_use",
      message: expect.stringMatching(new RegExp(`in use by process ${child.pid}.*DATABASE_URL`)),
    });
    await expect(openDatabase({ dataDir })).rejects.toMatchObject({ code: "database_in_use" });
    // The CLI says it in one line and exits 2, writing nothing.
    const cli = spawnSync(process.execPath, [join(repoRoot, "bin/cyberpolis.mjs"), "ledger", "check"], {
      env: { ...process.env, DATA_DIR: join(tmp, "a") },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(cli.status).toBe(2);
    expect(cli.stderr.trim().split("\n")).toHaveLength(1);
    expect(cli.stderr).toContain(`in use by process ${child.pid}`);
    // Once the owner is gone (even killed, leaving its lock behind), the folder opens again.
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    expect(existsSync(`${dataDir}.lock`)).toBe(true);
    const db = await openEmbedded({ dataDir });
    await db.close();
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
  });

  it("is released on close, so the same process can open it again", { timeout: 90_000 }, async () => {
    const dataDir = join(tmp, "b", "pglite");
    const first = await openEmbedded({ dataDir });
    await expect(openEmbedded({ dataDir })).rejects.toMatchObject({ code: "database_in_use" });
    await first.close();
    const again = await openEmbedded({ dataDir });
    await again.close();
  });
});
