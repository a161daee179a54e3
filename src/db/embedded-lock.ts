import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { AppError } from "../shared/errors.ts";

/**
 * PGlite holds no lock on its folder: a second process opening it works on its own copy in
 * memory, and whichever closes last overwrites the other's writes. So one process owns a folder:
 * it writes `<folder>.lock` with its pid (created exclusively, so two openers can't both win), and
 * any other opener is refused while that pid lives. A lock left by a process that died is taken
 * over. Released on close and when the process exits.
 */
export function lockDataDir(dataDir: string): () => void {
  const file = `${dataDir.replace(/[/\\]+$/, "")}.lock`;
  mkdirSync(dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, "wx");
      writeSync(fd, JSON.stringify({ pid: process.pid, command: process.argv.slice(1).join(" ") }));
      closeSync(fd);
      const release = once(() => {
        process.off("exit", release);
        try {
          if (ownerOf(file)?.pid === process.pid) unlinkSync(file);
        } catch {
          // Already gone: nothing to release.
        }
      });
      process.on("exit", release);
      return release;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const owner = ownerOf(file);
      if (owner && isAlive(owner.pid)) {
        throw new AppError(
          "database_in_use",
          `the embedded database in ${dataDir} is in use by process ${owner.pid} (${owner.command || "unknown"}); ` +
            "stop that process first, use its API while it runs, or set DATABASE_URL to a PostgreSQL server that several processes can share",
        );
      }
      // A lock of a process that is gone (or unreadable): remove it and try again.
      try {
        unlinkSync(file);
      } catch {
        // Another opener removed it first; the next attempt decides.
      }
    }
  }
  throw new AppError("database_in_use", `could not take the lock ${file}; try again`);
}

function ownerOf(file: string): { pid: number; command: string } | null {
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as { pid?: unknown; command?: unknown };
    return typeof parsed.pid === "number"
      ? { pid: parsed.pid, command: typeof parsed.command === "string" ? parsed.command : "" }
      : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to another user.
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}
