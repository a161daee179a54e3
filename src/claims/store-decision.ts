import { sql } from "kysely";
import { type AuditEntry, auditRow } from "../audit/service.ts";
import type { ClaimRow, Tx } from "../db/schema.ts";
import type { Ctx } from "../shared/context.ts";
import type { IsoDate } from "../shared/dates.ts";
import { AppError } from "../shared/errors.ts";
import type { Decision } from "./types.ts";

/**
 * One statement: the decision row, the limit usage, the audit entries and the claim's
 * compare-and-set (as `updateClaim` does). If the claim changed concurrently the error rolls the
 * whole transaction back, so the other writes of the statement vanish with it.
 */
export async function storeDecision(
  tx: Tx,
  ctx: Ctx,
  claim: ClaimRow,
  d: Decision,
  meta: {
    sequence: number;
    decidedOn: IsoDate;
    productCode: string;
    productVersion: number;
    limit: { section: string; policyYearStart: IsoDate; usedCents: number } | null;
    audit: AuditEntry[];
  },
): Promise<ClaimRow> {
  const { limit } = meta;
  const updated = await tx
    .with("d", (db) =>
      db.insertInto("claim_decisions").values({
        claim_id: claim.id,
        sequence: meta.sequence,
        policy_id: claim.policy_id,
        kind: "automatic",
        outcome: d.outcome,
        payout_cents: d.payout,
        reasons: JSON.stringify(d.reasons),
        missing: JSON.stringify(d.missing),
        lines: JSON.stringify(d.lines),
        explanation: JSON.stringify(d.explanation),
        section: d.section,
        policy_year_start: d.policyYear?.start ?? null,
        product_code: meta.productCode,
        product_version: meta.productVersion,
        decided_on: meta.decidedOn,
        decided_at: ctx.now,
        actor: ctx.actor,
        reason_text: null,
      }),
    )
    .with("u", (db) => {
      const q = db
        .updateTable("limit_usage")
        .set({ used_cents: limit?.usedCents ?? 0, updated_at: ctx.now })
        .where("policy_id", "=", claim.policy_id);
      return limit
        ? q.where("section", "=", limit.section).where("policy_year_start", "=", limit.policyYearStart)
        : q.where(sql<boolean>`false`);
    })
    // Multi-row VALUES take their serial ids in order: the earlier entry stays first in the trail.
    .with("a", (db) => db.insertInto("audit_log").values(meta.audit.map((e) => auditRow(ctx, e))))
    .updateTable("claims")
    .set({
      status: d.outcome,
      payout_cents: d.payout,
      section: d.section,
      facts: JSON.stringify(claim.facts),
      current_decision: meta.sequence,
      updated_at: ctx.now,
      version: claim.version + 1,
    })
    .where("id", "=", claim.id)
    .where("version", "=", claim.version)
    .returningAll()
    .executeTakeFirst();
  if (!updated) throw new AppError("conflict", `claim ${claim.number} changed concurrently; retry`);
  return updated;
}
