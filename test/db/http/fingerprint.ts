import { sql } from "kysely";
import type { Db } from "../../../src/db/connection.ts";

/**
 * A hash of every row of every table in the public schema, per table, in one round trip: equal
 * before and after a refused request means nothing was inserted, updated or deleted (a row count
 * would miss an update). Test databases are small, so hashing whole tables stays cheap. The table
 * list is read once per database: fuzz tests take thousands of fingerprints.
 */
/**
 * Columns that change on a refused request by design: a token's last use is recorded (at most once
 * a minute) whenever it authenticates a caller, whatever the request then gets.
 */
const USAGE_COLUMNS: Record<string, string> = { api_tokens: "last_used_at" };

export function fingerprinter(db: Db, opts: { ignore?: readonly string[] } = {}): () => Promise<string> {
  let query: ReturnType<typeof build> | undefined;
  function build(tables: string[]) {
    const parts = tables.map((name) => {
      const usage = USAGE_COLUMNS[name];
      const row = usage ? sql`(to_jsonb(r) - ${sql.lit(usage)})::text` : sql`r::text`;
      return sql`(select ${sql.lit(name)} || '=' || md5(coalesce(string_agg(${row}, '|' order by ${row}), '')) from ${sql.table(name)} r)`;
    });
    // One "table=hash" per table, so a failed comparison names the table that changed.
    return sql<{ tables: string }>`select concat_ws(' ', ${sql.join(parts)}) as tables`;
  }
  return async () => {
    if (!query) {
      const tables = (await db.kysely.introspection.getTables())
        .filter((x) => x.schema === "public" && !opts.ignore?.includes(x.name))
        .map((x) => x.name)
        .sort();
      query = build(tables);
    }
    return (await query.execute(db.kysely)).rows[0]!.tables;
  };
}

export function dataFingerprint(db: Db): Promise<string> {
  return fingerprinter(db)();
}
