import { sql } from "kysely";
import type { Db } from "../../../src/db/connection.ts";

/** The forms a stored copy of a value commonly takes: as typed, lower/upper case, JSON-escaped. */
export function transformations(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1);
  const ascii = json.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return [...new Set([value, value.toLowerCase(), value.toUpperCase(), json, json.toLowerCase(), ascii])];
}

interface Column {
  table_schema: string;
  table_name: string;
  column_name: string;
  data_type: string;
}

/**
 * Every text, json and bytea column of every table in the database, from information_schema, so
 * a table or column added later is searched too (system schemas aside).
 */
async function searchableColumns(db: Db): Promise<Column[]> {
  const r = await sql<Column>`
    select c.table_schema, c.table_name, c.column_name, c.data_type
    from information_schema.columns c
    join information_schema.tables t
      on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
    where c.table_schema not in ('pg_catalog', 'information_schema')
      and c.table_schema not like 'pg\\_%'
      and (c.data_type in ('text', 'character varying', 'character', 'json', 'jsonb', 'bytea', 'xml')
           or c.data_type = 'ARRAY' or c.data_type = 'USER-DEFINED')
    order by 1, 2, 3`.execute(db.kysely);
  return r.rows;
}

/**
 * Where the database still holds any of the values, in any of their transformations: one
 * "table.column: value" line per hit. Text and json are searched in their text form, as typed and
 * case-blind; bytea as UTF-8 bytes.
 */
export async function findValues(db: Db, values: readonly string[]): Promise<string[]> {
  const hits: string[] = [];
  for (const col of await searchableColumns(db)) {
    const table = sql.table(`${col.table_schema}.${col.table_name}`);
    const column = sql.ref(col.column_name);
    for (const value of values) {
      const forms = transformations(value);
      const tests = forms.map((f) =>
        col.data_type === "bytea"
          ? sql`position(convert_to(${f}, 'UTF8') in ${column}) > 0`
          : sql`(strpos(${column}::text, ${f}) > 0 or strpos(lower(${column}::text), ${f.toLowerCase()}) > 0)`,
      );
      const r = await sql<{ n: number | string }>`
        select count(*) as n from ${table} where ${sql.join(tests, sql` or `)}`.execute(db.kysely);
      const n = Number(r.rows[0]?.n ?? 0);
      if (n > 0) hits.push(`${col.table_name}.${col.column_name}: ${value}`);
    }
  }
  return hits;
}
