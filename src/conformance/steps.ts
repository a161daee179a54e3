import { type Decision, fileClaim, getClaimByReference, supplyClaimFacts } from "../claims/index.ts";
import type { Tx } from "../db/schema.ts";
import { cancelPolicyWithBilling } from "../flows/cancel-policy.ts";
import { changeHouseholdWithBilling } from "../flows/change-household.ts";
import { recordPremiumPayment, recordPremiumReminder } from "../policies/index.ts";
import { quote } from "../products/index.ts";
import type { Ctx } from "../shared/context.ts";
import { parseDate } from "../shared/dates.ts";
import { formatAmount, parseAmount } from "../shared/money.ts";
import { assistanceStepDate, runAssistanceStep } from "./assistance-steps.ts";
import type { Scenario, Step } from "./scenario.ts";

export type Actual = Record<string, unknown>;

function decisionResult(d: Decision): Actual {
  return { outcome: d.outcome, payout: formatAmount(d.payout), reasons: d.reasons, missing: d.missing };
}

/** The business date a step happens on: the clock the services see. */
export function stepDate(step: Step): string | undefined {
  switch (step.do) {
    case "claim":
      return step.reportedDate ?? step.incidentDate;
    case "supply":
    case "change_household":
    case "premium_paid":
      return step.date;
    case "cancel":
      return step.requestedOn;
    case "premium_reminder":
      return step.reminderDate;
    case "quote":
      return undefined;
    case "helpline_case":
    case "ransom_consent":
      return assistanceStepDate(step);
  }
}

/** Runs one step through the same service functions the API uses. */
export async function runStep(
  tx: Tx,
  ctx: Ctx,
  scenario: Scenario,
  policyId: string,
  step: Step,
  index: number,
): Promise<Actual> {
  const at = (field: string) => `steps.${index}.${field}`;
  switch (step.do) {
    case "quote": {
      const q = quote(ctx.catalog.get(scenario.product), {
        household: step.household ?? scenario.household,
        paymentFrequency: step.paymentFrequency ?? scenario.paymentFrequency,
        paymentMethod: step.paymentMethod ?? scenario.paymentMethod,
      });
      return {
        installment: formatAmount(q.installment),
        installments: q.installments,
        annualTotal: formatAmount(q.annualTotal),
      };
    }
    case "claim": {
      const incidentDate = parseDate(step.incidentDate, at("incidentDate"));
      const { decision } = await fileClaim(tx, ctx, {
        policyId,
        reference: step.id,
        peril: step.peril,
        incidentDate,
        reportedDate: step.reportedDate ? parseDate(step.reportedDate, at("reportedDate")) : incidentDate,
        losses: step.losses.map((l, i) => ({
          kind: l.kind,
          amount: parseAmount(l.amount, at(`losses.${i}.amount`)),
          paidOn: l.paidOn === undefined ? null : parseDate(l.paidOn, at(`losses.${i}.paidOn`)),
        })),
        facts: step.facts,
      });
      return decisionResult(decision);
    }
    case "supply": {
      const claim = await getClaimByReference(tx, policyId, step.claim);
      const { decision } = await supplyClaimFacts(tx, ctx, {
        claimId: claim.id,
        facts: step.facts,
        date: parseDate(step.date, at("date")),
      });
      return decisionResult(decision);
    }
    case "change_household":
      await changeHouseholdWithBilling(tx, ctx, {
        policyId,
        effectiveDate: parseDate(step.date, at("date")),
        household: step.household,
      });
      return {};
    case "cancel": {
      const r = await cancelPolicyWithBilling(tx, ctx, {
        policyId,
        requestedOn: parseDate(step.requestedOn, at("requestedOn")),
        effective: parseDate(step.effective, at("effective")),
      });
      return { effective: r.effective, refund: formatAmount(r.refund) };
    }
    case "premium_reminder":
      await recordPremiumReminder(tx, ctx, {
        policyId,
        dueDate: parseDate(step.dueDate, at("dueDate")),
        reminderDate: parseDate(step.reminderDate, at("reminderDate")),
        amount: step.amount === undefined ? null : parseAmount(step.amount, at("amount")),
      });
      return {};
    case "premium_paid":
      await recordPremiumPayment(tx, ctx, {
        policyId,
        receivedOn: parseDate(step.date, at("date")),
        amount: step.amount === undefined ? null : parseAmount(step.amount, at("amount")),
      });
      return {};
    case "helpline_case":
    case "ransom_consent":
      return runAssistanceStep(tx, ctx, policyId, step, at);
  }
}

/** Differences between an expectation and the actual result; lists are expected to be contained. */
export function compare(expected: Record<string, unknown>, actual: Actual): string[] {
  const diffs: string[] = [];
  for (const [key, want] of Object.entries(expected)) {
    const got = actual[key];
    if (Array.isArray(want)) {
      const list = Array.isArray(got) ? got : [];
      const absent = want.filter((w) => !list.includes(w));
      if (absent.length > 0)
        diffs.push(`${key}: expected to contain ${JSON.stringify(absent)}, got ${JSON.stringify(got)}`);
    } else if (key === "payout" || key === "refund" || key === "installment" || key === "annualTotal") {
      if (typeof got !== "string" || parseAmount(String(want)) !== parseAmount(got))
        diffs.push(`${key}: expected ${want}, got ${JSON.stringify(got)}`);
    } else if (want !== got) {
      diffs.push(`${key}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
    }
  }
  return diffs;
}
