import { sql } from "kysely";
import type { Db } from "../../../src/db/connection.ts";

/**
 * A hash of every row of every table in the public schema, per table, in one round trip: equal before and
 * after a refused request means nothing was inserted, updated or deleted (a row count would miss
 * an update). Test databases are small, so hashing whole tables stays cheap.
 */
export async function dataFingerprint(db: Db): Promise<string> {
  const tables = (await db.kysely.introspection.getTables())
    .filter((x) => x.schema === "public")
    .map((x) => x.name)
    .sort();
  const parts = tables.map(
    (name) =>
      sql`(select ${sql.lit(name)} || '=' || md5(coalesce(string_agg(r::text, '|' order by r::text), '')) from ${sql.table(name)} r)`,
  );
  // One "table=hash" per table, so a failed comparison names the table that changed.
  const r = await sql<{ tables: string }>`select concat_ws(' ', ${sql.join(parts)}) as tables`.execute(
    db.kysely,
  );
  return r.rows[0]!.tables;
}
