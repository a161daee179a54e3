import { type QueryCreator, sql } from "kysely";
import type { ClaimDecisionsTable, Database } from "../db/schema.ts";
import type { Ctx } from "../shared/context.ts";
import type { IsoDate } from "../shared/dates.ts";
import type { Cents } from "../shared/money.ts";
import type { DecidedLine } from "./types.ts";

/**
 * The claims module's writer of `limit_usage` and `claim_decisions`: no other code inserts or
 * updates them (test/unit/core/one-writer.test.ts holds the line). Both functions return the
 * statement rather than running it, so a caller can run it alone or as one CTE of a larger
 * statement (filing a claim, storing a decision) and keep its single round trip.
 */

export interface LimitKey {
  section: string;
  policyYearStart: IsoDate;
}

/**
 * The usage row of a policy's section and policy year: locks it (creating it at zero) and
 * returns `used_cents`; with `used`, sets it to that amount under the same lock.
 *
 * Lock rule: the row is locked by this upsert (a no-op update locks an existing row like FOR
 * UPDATE and returns the usage in one round trip), so concurrent decisions on one limit queue
 * here and none pays beyond it. Lock the claim first, then its usage row (filing, supplying
 * facts and overriding all do), so two of them can't deadlock; set the usage only in the
 * transaction that locked it and read the amount under that lock. With `key` null (the peril
 * has no limit section) the statement touches and returns no row.
 */
export function limitUsage(
  db: QueryCreator<Database>,
  ctx: Ctx,
  policyId: string,
  key: LimitKey | null,
  used?: Cents,
) {
  return db
    .insertInto("limit_usage")
    .columns(["policy_id", "section", "policy_year_start", "used_cents", "updated_at"])
    .expression(
      db
        .selectNoFrom([
          sql<string>`${policyId}::uuid`.as("policy_id"),
          sql<string>`${key?.section ?? ""}::text`.as("section"),
          sql<string>`${key?.policyYearStart ?? "1970-01-01"}::date`.as("policy_year_start"),
          sql<number>`${used ?? 0}::int8`.as("used_cents"),
          sql<Date>`${ctx.now}::timestamptz`.as("updated_at"),
        ])
        .where(sql.lit(key !== null)),
    )
    .onConflict((oc) =>
      oc
        .columns(["policy_id", "section", "policy_year_start"])
        .doUpdateSet((eb) =>
          used === undefined
            ? { used_cents: eb.ref("limit_usage.used_cents") }
            : { used_cents: eb.ref("excluded.used_cents"), updated_at: eb.ref("excluded.updated_at") },
        ),
    )
    .returning("used_cents");
}

/** A decision as the store writes it: the claim's next `sequence`, automatic or a handler's override. */
export interface DecisionRecord {
  claimId: string;
  policyId: string;
  sequence: number;
  kind: ClaimDecisionsTable["kind"];
  outcome: ClaimDecisionsTable["outcome"];
  payout: Cents;
  /** Of the payout, the part beyond the cover (an ex-gratia override); 0 otherwise. */
  exGratia?: Cents;
  reasons: string[];
  missing: string[];
  lines: DecidedLine[];
  explanation: unknown[];
  section: string | null;
  policyYearStart: IsoDate | null;
  productCode: string;
  productVersion: number;
  decidedOn: IsoDate;
  actor: string;
  reasonText: string | null;
}

/**
 * Inserts a claim's decision. Decisions are never updated (erasure aside): the (claim, sequence)
 * key refuses a second decision with the same number, so the caller holds the claim's lock or its
 * version compare-and-set when it numbers the next one.
 */
export function insertDecision(db: QueryCreator<Database>, ctx: Ctx, d: DecisionRecord) {
  return db.insertInto("claim_decisions").values({
    claim_id: d.claimId,
    sequence: d.sequence,
    policy_id: d.policyId,
    kind: d.kind,
    outcome: d.outcome,
    payout_cents: d.payout,
    reasons: JSON.stringify(d.reasons),
    missing: JSON.stringify(d.missing),
    lines: JSON.stringify(d.lines),
    explanation: JSON.stringify(d.explanation),
    section: d.section,
    policy_year_start: d.policyYearStart,
    product_code: d.productCode,
    product_version: d.productVersion,
    decided_on: d.decidedOn,
    decided_at: ctx.now,
    actor: d.actor,
    reason_text: d.reasonText,
    ex_gratia_cents: d.exGratia ?? 0,
  });
}

/** What a section's policy year has paid so far, read without a lock (a consent reserves nothing). */
export async function usedInYear(
  db: QueryCreator<Database>,
  policyId: string,
  key: LimitKey,
): Promise<Cents> {
  const row = await db
    .selectFrom("limit_usage")
    .select("used_cents")
    .where("policy_id", "=", policyId)
    .where("section", "=", key.section)
    .where("policy_year_start", "=", key.policyYearStart)
    .executeTakeFirst();
  return row?.used_cents ?? 0;
}
