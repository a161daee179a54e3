import { type AuditEntry, auditInsert } from "../audit/index.ts";
import type { ClaimRow, Tx } from "../db/schema.ts";
import type { Ctx } from "../shared/context.ts";
import type { IsoDate } from "../shared/dates.ts";
import { AppError } from "../shared/errors.ts";
import { insertDecision, limitUsage } from "./store.ts";
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
    .with("d", () =>
      insertDecision(tx, ctx, {
        claimId: claim.id,
        policyId: claim.policy_id,
        sequence: meta.sequence,
        kind: "automatic",
        outcome: d.outcome,
        payout: d.payout,
        reasons: d.reasons,
        missing: d.missing,
        lines: d.lines,
        explanation: d.explanation,
        section: d.section,
        policyYearStart: d.policyYear?.start ?? null,
        productCode: meta.productCode,
        productVersion: meta.productVersion,
        decidedOn: meta.decidedOn,
        actor: ctx.actor,
        reasonText: null,
      }),
    )
    // With no limit to move the statement writes no usage row.
    .with("u", () => limitUsage(tx, ctx, claim.policy_id, limit, limit?.usedCents))
    .with("a", () => auditInsert(tx, ctx, meta.audit))
    .updateTable("claims")
    .set({
      status: d.outcome,
      payout_cents: d.payout,
      ex_gratia_cents: 0,
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
