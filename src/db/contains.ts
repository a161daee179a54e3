import { type Expression, type ExpressionBuilder, type SqlBool, sql } from "kysely";
import type { Redactor } from "../shared/erasure.ts";

/**
 * "This column's text holds one of the redactor's values, as typed or in lower case": the prefilter
 * erasure uses on tables whose rows of other people may mention the party (a staff member's
 * stored response, a token label). `strpos`, not LIKE, so a `%` or `_` in a value is no wildcard.
 * A json/jsonb column is compared in its text form, where a `"` inside a string reads `\"`.
 */
export function holdsAny<DB, TB extends keyof DB>(
  eb: ExpressionBuilder<DB, TB>,
  column: string,
  redactor: Redactor,
  kind: "text" | "json",
): Expression<SqlBool> {
  const needles = kind === "json" ? redactor.jsonNeedles : redactor.needles;
  if (needles.length === 0) return sql<SqlBool>`false`;
  // Runs of white space read as one space, as the needles are written (see `variants`).
  const raw = sql`regexp_replace(${sql.ref(column)}::text, '\\s+', ' ', 'g')`;
  const lower = sql`lower(${raw})`;
  return eb.or(needles.map((n) => sql<SqlBool>`(strpos(${raw}, ${n}) > 0 or strpos(${lower}, ${n}) > 0)`));
}
