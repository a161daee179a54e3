import { sql } from "kysely";
import type { ClaimRow, Tx } from "../db/schema.ts";
import type { Ctx } from "../shared/context.ts";
import type { FileClaimInput } from "./service.ts";
import { type LimitKey, limitUsage } from "./store.ts";

/** A loss line as the claim insert unpacks it from JSON. */
interface LineInput {
  line_no: number;
  kind: string;
  amount_cents: number;
  paid_on: string | null;
}

/**
 * Inserts a claim with its lines and first facts and locks its limit-usage row (when the peril
 * has a limit section), all in one statement: `used` is what the section's policy year has
 * already paid, read under that lock.
 */
export async function insertClaim(
  tx: Tx,
  ctx: Ctx,
  input: FileClaimInput,
  key: LimitKey | null,
): Promise<{ claim: ClaimRow; used: number }> {
  const lines = JSON.stringify(
    input.losses.map((l, i) => ({
      line_no: i + 1,
      kind: l.kind,
      amount_cents: l.amount,
      paid_on: l.paidOn ?? null,
    })),
  );
  // One statement for the claim, its lines and its first facts (data-modifying CTEs): each
  // round trip costs a socket write and a wait while the transaction holds its connection.
  const row = await tx
    .with("c", (db) =>
      db
        .insertInto("claims")
        .values({
          policy_id: input.policyId,
          // Numbered in the insert itself: one round trip fewer than a separate nextval.
          // lpad to at least 8 digits: lpad alone would cut a ninth digit off.
          number: sql<string>`(select 'CL-' || lpad(n::text, greatest(8, length(n::text)), '0') from nextval('claim_number_seq') as n)`,
          reference: input.reference ?? null,
          peril: input.peril,
          section: null,
          incident_date: input.incidentDate,
          reported_date: input.reportedDate,
          facts: JSON.stringify(input.facts),
          status: "new",
          current_decision: null,
          created_at: ctx.now,
          updated_at: ctx.now,
        })
        .returningAll(),
    )
    .with("l", (db) =>
      db
        .insertInto("claim_lines")
        .columns(["claim_id", "policy_id", "line_no", "kind", "amount_cents", "description", "paid_on"])
        .expression((eb) =>
          eb
            .selectFrom([
              "c",
              sql<LineInput>`(select * from jsonb_to_recordset(${lines}::jsonb) as r(line_no int, kind text, amount_cents bigint, paid_on date))`.as(
                "x",
              ),
            ])
            .select([
              "c.id",
              "c.policy_id",
              "x.line_no",
              "x.kind",
              "x.amount_cents",
              sql<null>`null`.as("description"),
              "x.paid_on",
            ]),
        ),
    )
    .with("f", (db) =>
      db
        .insertInto("claim_facts")
        .columns(["claim_id", "policy_id", "facts", "supplied_on", "actor", "recorded_at"])
        // The first facts are the claim's own facts, reported date and creation time.
        .expression((eb) =>
          eb
            .selectFrom("c")
            .select([
              "c.id",
              "c.policy_id",
              "c.facts",
              "c.reported_date",
              sql<string>`${ctx.actor}::text`.as("actor"),
              "c.created_at",
            ]),
        ),
    )
    .with("u", () => limitUsage(tx, ctx, input.policyId, key))
    .selectFrom("c")
    .selectAll("c")
    .select((eb) => eb.selectFrom("u").select("u.used_cents").as("limit_used_cents"))
    .executeTakeFirstOrThrow();
  const { limit_used_cents: used, ...claim } = row;
  return { claim, used: used ?? 0 };
}
