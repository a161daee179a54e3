import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { sql } from "kysely";
import { AppError } from "../shared/errors.ts";
import { repoPath } from "../shared/paths.ts";
import type { Db } from "./connection.ts";

/**
 * Forward-only SQL migrations: `src/db/migrations/*.sql` in file-name order, each in its own
 * transaction, recorded in `schema_migrations` with a checksum so an edited migration is caught.
 */

export interface Migration {
  /** File name without `.sql`, e.g. `20261122_0001_foundation`. */
  name: string;
  checksum: string;
  sql: string;
}

// A type alias, not an interface: Kysely's withTables needs an index-signature-compatible type.
type MigrationsTable = {
  schema_migrations: { name: string; checksum: string; applied_at: Date | string };
};

export const defaultMigrationsDir = repoPath("src/db/migrations/");

// Any constant works; it only has to be the same in every process migrating this database.
const ADVISORY_LOCK_KEY = 7_231_100_431;

const CREATE_TABLE = `create table if not exists schema_migrations (
  name text primary key,
  checksum text not null,
  applied_at timestamptz not null
)`;

export async function loadMigrations(dir: string = defaultMigrationsDir): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith(".sql"));
  // Code-unit order, not locale order: the timestamped names must sort the same everywhere.
  files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return Promise.all(
    files.map(async (file) => {
      const text = await readFile(join(dir, file), "utf8");
      return { name: file.slice(0, -".sql".length), checksum: checksumOf(text), sql: text };
    }),
  );
}

function checksumOf(text: string): string {
  // A Windows checkout turns LF into CRLF; that is not a change to the migration.
  return createHash("sha256").update(text.replace(/\r\n/g, "\n")).digest("hex");
}

async function appliedRows(db: Db): Promise<{ name: string; checksum: string }[]> {
  const exists = await sql<{ t: string | null }>`select to_regclass('schema_migrations')::text as t`.execute(
    db.kysely,
  );
  if (!exists.rows[0]?.t) return [];
  return db.kysely
    .withTables<MigrationsTable>()
    .selectFrom("schema_migrations")
    .select(["name", "checksum"])
    .orderBy("name")
    .execute();
}

/**
 * Refuses a database that is ahead of this code (a migration we don't know) or out of step with
 * it (a migration whose file changed after it was applied). Pending migrations are fine.
 */
export async function checkMigrations(db: Db, dir: string = defaultMigrationsDir): Promise<void> {
  const known = new Map((await loadMigrations(dir)).map((m) => [m.name, m.checksum]));
  const applied = await appliedRows(db);
  const unknown = applied.filter((row) => !known.has(row.name)).map((row) => row.name);
  if (unknown.length > 0) {
    throw new AppError(
      "database_out_of_step",
      `the database is ahead of this code: it has migration(s) ${unknown.join(", ")} that this version ` +
        "does not know; run a newer version or restore a matching backup",
    );
  }
  const changed = applied.filter((row) => known.get(row.name) !== row.checksum).map((row) => row.name);
  if (changed.length > 0) {
    throw new AppError(
      "database_out_of_step",
      `the database is out of step with this code: migration(s) ${changed.join(", ")} were changed ` +
        "after they were applied; migrations are forward-only, add a new one instead",
    );
  }
}

export async function migrate(db: Db, dir: string = defaultMigrationsDir): Promise<{ applied: string[] }> {
  await ensureTable(db);
  await checkMigrations(db, dir);
  const migrations = await loadMigrations(dir);
  const done = new Set((await appliedRows(db)).map((r) => r.name));
  const applied: string[] = [];
  for (const m of migrations) {
    if (done.has(m.name)) continue;
    if (await applyOne(db, m)) applied.push(m.name);
  }
  return { applied };
}

async function ensureTable(db: Db): Promise<void> {
  // Two processes racing `create table if not exists` can still collide on the catalog; the lock
  // makes the second one wait and then find the table.
  await db.kysely.transaction().execute(async (trx) => {
    if (db.dialect === "postgres") await sql`select pg_advisory_xact_lock(${ADVISORY_LOCK_KEY})`.execute(trx);
    await sql.raw(CREATE_TABLE).execute(trx);
  });
}

/** Applies one migration unless another process got there first; true when this call applied it. */
async function applyOne(db: Db, m: Migration): Promise<boolean> {
  const { client } = db;
  if (client.dialect === "pglite") {
    // PGlite runs Kysely queries as prepared statements, which hold one command each; a
    // migration file holds many, so it goes through PGlite's own exec in PGlite's transaction.
    // PGlite runs one transaction at a time, so checking inside it is enough to not race.
    return client.pglite.transaction(async (tx) => {
      const already = await tx.query("select 1 from schema_migrations where name = $1", [m.name]);
      if (already.rows.length > 0) return false;
      await tx.exec(m.sql);
      await tx.query("insert into schema_migrations (name, checksum, applied_at) values ($1, $2, now())", [
        m.name,
        m.checksum,
      ]);
      return true;
    });
  }
  return db.kysely.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${ADVISORY_LOCK_KEY})`.execute(trx);
    const already = await trx
      .withTables<MigrationsTable>()
      .selectFrom("schema_migrations")
      .select("name")
      .where("name", "=", m.name)
      .executeTakeFirst();
    if (already) return false;
    // No parameters, so pg uses the simple query protocol, which runs many statements at once.
    await sql.raw(m.sql).execute(trx);
    await trx
      .withTables<MigrationsTable>()
      .insertInto("schema_migrations")
      .values({ name: m.name, checksum: m.checksum, applied_at: sql<Date>`now()` })
      .execute();
    return true;
  });
}
