import { mkdir, readFile, stat, unlink, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { z } from "zod";
import { ValidationError } from "../shared/errors.ts";

/**
 * Checks of the files, folders and ids the CLI is given, made before a command opens the database:
 * a bad argument is one plain line and exit 2 (main.ts), and nothing is written.
 */

const REASONS: Record<string, string> = {
  ENOENT: "does not exist",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "is on a read-only file system",
  ENOTDIR: "has a part that is not a folder",
  EISDIR: "is a folder, not a file",
  ENOSPC: "no space left on the device",
  ENAMETOOLONG: "the name is too long",
  ELOOP: "too many symbolic links",
};

function refuse(option: string, path: string, problem: string): never {
  throw new ValidationError([{ path: option, message: `${path} ${problem}` }]);
}

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code ?? "";
  return REASONS[code] ?? `cannot be used (${code || (e as Error).message})`;
}

async function statOrNull(path: string, option: string) {
  try {
    return await stat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    return refuse(option, path, reason(e));
  }
}

/** The contents of a file to read (a bank file): it must exist, be a file and be readable. */
export async function readInputFile(path: string, option: string): Promise<string> {
  const info = await statOrNull(path, option);
  if (!info) refuse(option, path, "does not exist");
  if (info.isDirectory()) refuse(option, path, "is a folder, not a file");
  if (!info.isFile()) refuse(option, path, "is not a regular file");
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    return refuse(option, path, reason(e));
  }
}

/** Whether files can be created in an existing folder: tried, as only the file system knows. */
async function probeWritable(dir: string, option: string) {
  const probe = join(dir, `.cyberpolis-write-check-${process.pid}`);
  try {
    await writeFile(probe, "");
    await unlink(probe);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    refuse(
      option,
      dir,
      `is not writable: ${code === "ENOENT" ? "the file system takes no new files" : reason(e)}`,
    );
  }
}

/**
 * The folder output files go to, created when missing, and proven writable. Created one level at a
 * time: Node's recursive mkdir never returns for a path such as /proc/nope (it retries the parent).
 */
export async function outputDir(path: string, option: string): Promise<string> {
  const dir = resolve(path);
  const missing: string[] = [];
  let at = dir;
  let info = await statOrNull(at, option);
  while (!info && dirname(at) !== at) {
    missing.unshift(at);
    at = dirname(at);
    info = await statOrNull(at, option);
  }
  if (info && !info.isDirectory()) refuse(option, at, "is a file, not a folder");
  for (const d of missing) {
    try {
      await mkdir(d);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // mkdir says ENOENT where a file system (such as /proc) takes no new folders.
      if (code === "ENOENT") refuse(option, d, "cannot be created on this file system");
      if (code !== "EEXIST") refuse(option, d, `cannot be created: ${reason(e)}`);
    }
  }
  await probeWritable(dir, option);
  return dir;
}

/** A file to write: not a folder, in an existing, writable folder. */
export async function outputFile(path: string, option: string): Promise<string> {
  const file = resolve(path);
  const info = await statOrNull(file, option);
  if (info?.isDirectory()) refuse(option, file, "is a folder, not a file");
  const dir = await statOrNull(dirname(file), option);
  if (!dir) refuse(option, dirname(file), "does not exist");
  if (!dir.isDirectory()) refuse(option, dirname(file), "is a file, not a folder");
  await probeWritable(dirname(file), option);
  return file;
}

/** An id the database keeps as a uuid: anything else would reach PostgreSQL as a syntax error. */
export function uuidArg(value: string, option: string, what: string): string {
  if (!z.guid().safeParse(value).success) {
    throw new ValidationError([{ path: option, message: `must be ${what} (a UUID), got "${value}"` }]);
  }
  return value;
}
