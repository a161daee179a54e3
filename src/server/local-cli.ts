import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The CLI beside a server on the embedded database. PGlite is one process's: while the server owns
 * the folder, a CLI command cannot open it (src/db/embedded-lock.ts), so the server publishes, next
 * to the folder, its address and a secret for this run of it; the CLI's finance commands call the
 * server's finance API with it and every write lands in the one database. The file is readable by
 * its owner only: whoever can read it can read the database folder itself. A new secret each start;
 * the file goes when the server stops.
 */

export interface Published {
  url: string;
  token: string;
  pid: number;
}

export function cliFile(dataDir: string): string {
  return join(dataDir, "pglite.server.json");
}

export function newLocalCliToken(): string {
  return `cpl_${randomBytes(32).toString("base64url")}`;
}

/** Writes the file; returns its removal. */
export function publishForCli(dataDir: string, at: { url: string; token: string }): () => void {
  const file = cliFile(dataDir);
  writeFileSync(file, JSON.stringify({ ...at, pid: process.pid } satisfies Published), { mode: 0o600 });
  chmodSync(file, 0o600);
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    process.off("exit", remove);
    try {
      unlinkSync(file);
    } catch {
      // Already gone.
    }
  };
  process.on("exit", remove);
  return remove;
}

/** The running server that owns `dataDir`, if one published itself and its process lives. */
export function publishedServer(dataDir: string): Published | null {
  const file = cliFile(dataDir);
  if (!existsSync(file)) return null;
  try {
    const p = JSON.parse(readFileSync(file, "utf8")) as Partial<Published>;
    if (typeof p.url !== "string" || typeof p.token !== "string" || typeof p.pid !== "number") return null;
    process.kill(p.pid, 0);
    return { url: p.url, token: p.token, pid: p.pid };
  } catch {
    return null;
  }
}
