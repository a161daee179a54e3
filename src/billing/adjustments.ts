import { recordAudit } from "../audit/index.ts";
import type { Tx } from "../db/schema.ts";
import { postEntry } from "../ledger/index.ts";
import { loadPolicy } from "../policies/index.ts";
import type { HouseholdType } from "../products/index.ts";
import type { Ctx } from "../shared/context.ts";
import { dateIn, type IsoDate } from "../shared/dates.ts";
import { adjustmentTargets, installmentPrice, splitSurcharge } from "./schedule.ts";
import type { AdjustmentKind, AdjustmentReason } from "./tables.ts";

export interface AdjustmentMade {
  periodStart: IsoDate;
  reason: AdjustmentReason;
  kind: AdjustmentKind;
  amount: number;
}

/**
 * Regenerates a policy's billing after a household change or a cancellation: every invoiced
 * period is compared with what the policy's current terms say it should cost, and the difference
 * not yet corrected is booked as a charge, a credit note (open invoice nobody collects, or a
 * returned one) or a refund (paid invoice, or a direct debit in a bank file), each with its ledger
 * entry. Idempotent: a second call finds nothing left to correct. The billing
 * run calls it for changed policies; policy services may call it right after the change.
 */
export async function reconcilePolicyBilling(
  tx: Tx,
  ctx: Ctx,
  policyId: string,
  /** The day corrections are booked on: by default today in the product's time zone. */
  asOfDate?: IsoDate,
): Promise<AdjustmentMade[]> {
  const { policy, product, terms } = await loadPolicy(tx, ctx, policyId, { forUpdate: true });
  const asOf = asOfDate ?? dateIn(ctx.now, product.timeZone);
  const invoices = await tx
    .selectFrom("invoices")
    .selectAll()
    .where("policy_id", "=", policyId)
    .orderBy("period_start")
    .execute();
  if (invoices.length === 0) return [];
  const existing = await tx
    .selectFrom("billing_adjustments")
    .select(["period_start", "reason", (eb) => eb.fn.sum<number>("amount_cents").as("amount")])
    .where("policy_id", "=", policyId)
    .groupBy(["period_start", "reason"])
    .execute();
  const already = new Map(existing.map((e) => [`${e.period_start}|${e.reason}`, Number(e.amount)]));
  const priceOf = (household: HouseholdType) =>
    installmentPrice(product, household, policy.payment_frequency, policy.payment_method).amount;
  const made: AdjustmentMade[] = [];
  for (const inv of invoices) {
    const invoiced = {
      start: inv.period_start,
      end: inv.period_end,
      household: inv.household,
      amount: inv.amount_cents,
      surcharge: inv.surcharge_cents,
    };
    const targets = adjustmentTargets(invoiced, terms.household, terms.endorsements, terms.endDate, priceOf);
    const wanted: [AdjustmentReason, number, IsoDate | null][] = [
      ["household_change", targets.householdChange.amount, targets.householdChange.effective],
      ["cancellation", targets.cancellation.amount, targets.cancellation.effective],
    ];
    for (const [reason, target, effective] of wanted) {
      const delta = target - (already.get(`${inv.period_start}|${reason}`) ?? 0);
      if (delta === 0) continue;
      // A debit in a pain.008 (written, or being written by this run) is collected in full: what is
      // taken off it must be paid back, not left as a credit the bank's collection overtakes.
      const collectedInFull = inv.status === "paid" || (inv.status === "open" && inv.batch_id !== null);
      const kind: AdjustmentKind = delta > 0 ? "charge" : collectedInFull ? "refund" : "credit_note";
      const split = splitSurcharge(delta, invoiced);
      const row = await tx
        .insertInto("billing_adjustments")
        .values({
          policy_id: policyId,
          period_start: inv.period_start,
          kind,
          reason,
          effective_date: effective ?? inv.period_start,
          premium_cents: split.premium,
          surcharge_cents: split.surcharge,
          amount_cents: delta,
          created_on: asOf,
          refund_batch_id: null,
          refunded_on: null,
          created_at: ctx.now,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await postEntry(tx, ctx, {
        postedOn: asOf,
        kind,
        source: `adjustment:${row.id}`,
        policyId,
        description: `${reason} ${kind} on invoice ${inv.reference}`,
        lines: [
          { account: kind === "refund" ? "refunds_payable" : "premium_receivable", amount: delta },
          { account: "premium_income", amount: -split.premium },
          { account: "surcharge_income", amount: -split.surcharge },
        ],
      });
      made.push({ periodStart: inv.period_start, reason, kind, amount: delta });
    }
  }
  if (made.length > 0) {
    await recordAudit(tx, ctx, {
      action: "billing.adjusted",
      entityType: "policy",
      entityId: policyId,
      policyId,
      after: made,
    });
  }
  return made;
}
