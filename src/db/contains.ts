import { type Expression, type SqlBool, sql } from "kysely";
import type { Redactor } from "../shared/erasure.ts";

/**
 * "This column's text holds one of the redactor's values, as typed or in lower case": the prefilter
 * erasure uses on tables whose rows of other people may mention the party (a staff member's
 * stored response, a token label). `strpos`, not LIKE, so a `%` or `_` in a value is no wildcard.
 * A json/jsonb column is compared in its text form, where a `"` inside a string reads `\"`.
 */
export function holdsAny(column: string, redactor: Redactor, kind: "text" | "json"): Expression<SqlBool> {
  const needles = kind === "json" ? redactor.jsonNeedles : redactor.needles;
  if (needles.length === 0) return sql<SqlBool>`false`;
  // Runs of white space read as one space, as the needles are written (see `variants`); the
  // subquery computes that text once per row, not once per needle.
  const h = sql.ref("erasure_haystack.h");
  const tests = needles.map((n) => sql`strpos(${h}, ${n}) > 0 or strpos(lower(${h}), ${n}) > 0`);
  return sql<SqlBool>`exists (
    select from (select regexp_replace(${sql.ref(column)}::text, '\\s+', ' ', 'g') as h) as erasure_haystack
    where ${sql.join(tests, sql` or `)})`;
}
