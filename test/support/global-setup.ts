import { existsSync, readFileSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { openDatabase, pgliteParsers } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";

/**
 * Once per test run and backend: build one migrated template, so each test file can clone it in
 * well under a second instead of paying initdb (PGlite, 2.5–5 s) or every migration again.
 * Test files find the template through `inject()` (see test/support/db.ts).
 */

declare module "vitest" {
  export interface ProvidedContext {
    pgliteTemplate: string;
    postgresAdminUrl: string;
    postgresTemplate: string;
  }
}

const tmpDir = join(import.meta.dirname, "../../.tmp");

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const backend = project.config.env.CYBERPOLIS_TEST_DB ?? project.name;
  if (backend === "pglite") return setupPglite(project);
  if (backend === "postgres") return setupPostgres(project);
  throw new Error(`global-setup: unknown CYBERPOLIS_TEST_DB "${backend}" in project ${project.name}`);
}

async function setupPglite(project: TestProject): Promise<() => Promise<void>> {
  const pglite = new PGlite({ parsers: pgliteParsers });
  const db = await openDatabase({ pglite });
  await migrate(db);
  // Uncompressed: a larger file, but loading it skips a gunzip in every test file.
  const dump = await pglite.dumpDataDir("none");
  await db.close();
  await mkdir(tmpDir, { recursive: true });
  const file = join(tmpDir, `pglite-template-${process.pid}.tar`);
  await writeFile(file, new Uint8Array(await dump.arrayBuffer()));
  project.provide("pgliteTemplate", file);
  return () => rm(file, { force: true });
}

/** TEST_DATABASE_URL, else what scripts/ensure-postgres.sh found, else the usual local server. */
export function postgresAdminUrl(): string {
  if (process.env.TEST_DATABASE_URL) return process.env.TEST_DATABASE_URL;
  const file = join(tmpDir, "test-database-url");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  return "postgres://postgres@127.0.0.1:5432/postgres";
}

export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function adminQuery(adminUrl: string, text: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: adminUrl });
  try {
    await client.connect();
  } catch (e) {
    throw new Error(`cannot reach the test PostgreSQL at ${adminUrl}; run scripts/ensure-postgres.sh`, {
      cause: e,
    });
  }
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

async function setupPostgres(project: TestProject): Promise<() => Promise<void>> {
  const adminUrl = postgresAdminUrl();
  await dropLeftovers(adminUrl);
  const template = `cyberpolis_tpl_${process.pid}`;
  await adminQuery(adminUrl, `drop database if exists ${template} with (force)`);
  await adminQuery(adminUrl, `create database ${template}`);
  // All connections to the template must be gone before it can be cloned, hence close() here.
  const db = await openDatabase({ url: databaseUrl(adminUrl, template), poolSize: 1 });
  try {
    await migrate(db);
  } finally {
    await db.close();
  }
  project.provide("postgresAdminUrl", adminUrl);
  project.provide("postgresTemplate", template);
  return async () => {
    await adminQuery(adminUrl, `drop database if exists ${template} with (force)`);
  };
}

/**
 * Databases left by runs that were killed (their pid is in the name and no longer alive). Only on
 * a local server: on a shared one the pid could belong to another machine's live run.
 */
async function dropLeftovers(adminUrl: string): Promise<void> {
  const host = new URL(adminUrl).hostname;
  if (host !== "127.0.0.1" && host !== "localhost" && host !== "") return;
  const { rows } = await adminQuery(
    adminUrl,
    "select datname from pg_database where datname ~ '^cyberpolis_(tpl|t)_[0-9]+'",
  );
  for (const { datname } of rows as { datname: string }[]) {
    const pid = Number(/^cyberpolis_(?:tpl|t)_(\d+)/.exec(datname)?.[1]);
    if (isAlive(pid)) continue;
    await adminQuery(adminUrl, `drop database if exists ${datname} with (force)`);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
