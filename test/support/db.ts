import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { inject } from "vitest";
import { type Db, openDatabase, pgliteParsers } from "../../src/db/connection.ts";
import { databaseUrl } from "./global-setup.ts";

/**
 * Database tests run twice, once per backend (vitest projects `pglite` and `postgres`, which set
 * CYBERPOLIS_TEST_DB). Each test file asks for its own fresh, migrated, empty database:
 *
 *   let db: Db;
 *   beforeAll(async () => { db = await createTestDb(); });
 *   afterAll(() => db.close());
 */

export type Backend = "pglite" | "postgres";

export const backend: Backend = process.env.CYBERPOLIS_TEST_DB === "postgres" ? "postgres" : "pglite";

/** A fresh, fully migrated, empty database; close() discards it (and is safe to call twice). */
export async function createTestDb(): Promise<Db> {
  return backend === "postgres" ? clonePostgres() : clonePglite();
}

async function clonePglite(): Promise<Db> {
  const template = inject("pgliteTemplate");
  if (!template)
    throw new Error("no PGlite template: run database tests through the `pglite` vitest project");
  const dump = new Blob([await readFile(template)], { type: "application/x-tar" });
  return openDatabase({ pglite: new PGlite({ loadDataDir: dump, parsers: pgliteParsers }) });
}

async function clonePostgres(): Promise<Db> {
  const adminUrl = inject("postgresAdminUrl");
  const template = inject("postgresTemplate");
  if (!adminUrl || !template) {
    throw new Error("no PostgreSQL template: run database tests through the `postgres` vitest project");
  }
  // The template's pid in the name lets the next run's global setup find leftovers of a killed run.
  const name = `cyberpolis_t_${template.slice("cyberpolis_tpl_".length)}_${randomBytes(5).toString("hex")}`;
  await admin(adminUrl, `create database ${name} template ${template}`);
  const db = await openDatabase({ url: databaseUrl(adminUrl, name) });
  let closing: Promise<void> | undefined;
  return {
    ...db,
    close: () => {
      closing ??= (async () => {
        await db.close();
        await admin(adminUrl, `drop database if exists ${name} with (force)`);
      })();
      return closing;
    },
  };
}

async function admin(adminUrl: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
