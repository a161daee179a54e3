import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { repoPath } from "../shared/paths.ts";
import { type Db, openDatabase, pgliteParsers } from "./connection.ts";
import { lockDataDir } from "./embedded-lock.ts";
import { loadMigrations, migrate } from "./migrate.ts";

/**
 * A fresh PGlite runs initdb, which costs 2.5–5 s. Every embedded database starts instead from a
 * dump of an empty, fully migrated one, cached per set of migrations: the first start of the
 * server, each conformance run and each test template then load in well under a second.
 */

const CACHE_DIR = repoPath("node_modules/.cache/cyberpolis/");

async function migrationsKey(): Promise<string> {
  const hash = createHash("sha256");
  for (const m of await loadMigrations()) hash.update(`${m.name}:${m.checksum}\n`);
  return hash.digest("hex").slice(0, 16);
}

function cacheDir(): string {
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    return CACHE_DIR;
  } catch {
    return tmpdir();
  }
}

/** The gzipped data dir of an empty, migrated database; built once per set of migrations. */
export async function migratedTemplate(): Promise<Blob> {
  const file = join(cacheDir(), `pglite-${await migrationsKey()}.tar.gz`);
  if (existsSync(file)) return new Blob([readFileSync(file)]);
  const db = await openDatabase({ memory: true });
  try {
    await migrate(db);
    if (db.client.dialect !== "pglite") throw new Error("unreachable");
    const dump = await db.client.pglite.dumpDataDir("gzip");
    // Written under a temporary name and renamed, so a parallel reader never sees half a file.
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    renameSync(partial, file);
    return dump;
  } finally {
    await db.close();
  }
}

function isEmptyDir(dir: string): boolean {
  return !existsSync(dir) || readdirSync(dir).length === 0;
}

/**
 * The migrated template as a data directory on disk: a new server data dir is a plain file copy
 * of it, which opens in a fraction of the time unpacking the tarball into the directory takes.
 */
export async function migratedTemplateDir(): Promise<string> {
  const dir = join(cacheDir(), `pglite-${await migrationsKey()}`);
  if (existsSync(join(dir, "PG_VERSION"))) return dir;
  const partial = `${dir}.${process.pid}.partial`;
  rmSync(partial, { recursive: true, force: true });
  const pglite = new PGlite({
    dataDir: partial,
    loadDataDir: await migratedTemplate(),
    parsers: pgliteParsers,
  });
  await pglite.waitReady;
  await pglite.close();
  // Renamed into place whole, so a parallel reader never copies half a directory.
  try {
    renameSync(partial, dir);
  } catch {
    rmSync(partial, { recursive: true, force: true });
  }
  return dir;
}

/**
 * The server's embedded database: PostgreSQL's default 128 MB of shared buffers live in the WASM
 * heap, i.e. in the process's RSS; the data dir's files are cached by the OS anyway. 16 MB lowered
 * the API bench's peak RSS by ~100 MB without a measurable loss of throughput.
 */
const SERVER_START_PARAMS = ["-c", "shared_buffers=16MB"];

/**
 * An embedded database: an existing data dir is opened as it is (and migrated by the caller);
 * a new one is copied from the migrated template directory, an in-memory one loads the template.
 */
export async function openEmbedded(opts: { dataDir: string } | { memory: true }): Promise<Db> {
  if ("dataDir" in opts) {
    // Taken before the folder is even filled: a second process must never work on its own copy.
    const release = lockDataDir(opts.dataDir);
    try {
      if (isEmptyDir(opts.dataDir)) cpSync(await migratedTemplateDir(), opts.dataDir, { recursive: true });
      const pglite = new PGlite({
        dataDir: opts.dataDir,
        parsers: pgliteParsers,
        startParams: [...PGlite.defaultStartParams, ...SERVER_START_PARAMS],
      });
      return await openDatabase({ pglite, release });
    } catch (e) {
      release();
      throw e;
    }
  }
  const pglite = new PGlite({ loadDataDir: await migratedTemplate(), parsers: pgliteParsers });
  return openDatabase({ pglite });
}
