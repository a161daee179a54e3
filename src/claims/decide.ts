import { coverOn, householdOn, type PolicyTerms } from "../policies/cover.ts";
import { type IndemnitySection, indemnitySections, type ProductDefinition } from "../products/schema.ts";
import { type DateRange, policyYearOf } from "../shared/dates.ts";
import { type Cents, sum } from "../shared/money.ts";
import { type ExplanationStep, explained } from "./steps.ts";
import type { ClaimInput, DecidedLine, Decision, Facts, RansomConsentFact } from "./types.ts";

/** The section that pays for a peril, or null when this product does not cover it. */
export function sectionFor(product: ProductDefinition, peril: string): IndemnitySection | null {
  return indemnitySections(product).find((s) => s.perils.includes(peril)) ?? null;
}

/** Where a claim's payout counts against a limit: its section and the policy year of the incident. */
export function limitKey(product: ProductDefinition, terms: PolicyTerms, claim: ClaimInput) {
  const section = sectionFor(product, claim.peril);
  if (!section || claim.incidentDate < terms.startDate) return null;
  const year = policyYearOf(terms.startDate, claim.incidentDate, product.leapDayAnniversary);
  return { section: section.code, policyYearStart: year.start };
}

const isTrue = (facts: Facts, name: string) => facts[name] === true;

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/**
 * Decides a claim by the steps of coverage-rules.md. `usedInYear` is what this section already
 * paid in the incident's policy year (read under a row lock by the caller); `consents` are the
 * ransom consents given on the policy's helpline cases (read by the caller). Pure: same input,
 * same decision, so every decision can be replayed from stored data. The explanation holds codes and
 * numbers, no words: explain.ts renders it in the reader's language.
 */
export function decideClaim(
  product: ProductDefinition,
  terms: PolicyTerms,
  claim: ClaimInput,
  usedInYear: Cents,
  consents: readonly RansomConsentFact[] = [],
): Decision {
  const explanation: ExplanationStep[] = [];
  const lines: DecidedLine[] = claim.losses.map((l, i) => ({
    lineNo: i + 1,
    kind: l.kind,
    amount: l.amount,
    accepted: false,
    reason: null,
  }));
  const base = {
    section: null as string | null,
    policyYear: null as DateRange | null,
    household: null as string | null,
    lines,
    explanation,
  };
  const deny = (reasons: string[]): Decision => {
    explanation.push(explained("outcome", { reasons: unique(reasons) }));
    return { ...base, outcome: "denied", payout: 0, reasons: unique(reasons), missing: [] };
  };

  // Step 0: is the peril one this product covers?
  const section = sectionFor(product, claim.peril);
  if (!section) {
    explanation.push(explained("not_covered_peril", { peril: claim.peril }));
    return deny(["not_covered_peril"]);
  }
  base.section = section.code;
  explanation.push(explained("section", { peril: claim.peril, section: section.code }));

  // Step 1: cover in force on the incident date.
  const cover = coverOn(terms, claim.incidentDate);
  if (cover.status === "not_in_force") {
    explanation.push(
      explained("not_in_force", {
        incidentDate: claim.incidentDate,
        why: cover.why,
        startDate: terms.startDate,
        endDate: terms.endDate,
      }),
    );
    return deny(["not_in_force"]);
  }
  if (cover.status === "suspended") {
    const s = cover.suspension;
    explanation.push(
      explained("cover_suspended", { incidentDate: claim.incidentDate, from: s.from, until: s.until }),
    );
    return deny(["cover_suspended"]);
  }
  const household = householdOn(terms, claim.incidentDate);
  const year = policyYearOf(terms.startDate, claim.incidentDate, product.leapDayAnniversary);
  base.household = household;
  base.policyYear = { start: year.start, end: year.end };
  explanation.push(
    explained("in_force", { incidentDate: claim.incidentDate, policyYearStart: year.start, household }),
  );

  // Step 2: claim-level exclusions.
  const excluded = Object.keys(product.exclusions).filter((flag) => isTrue(claim.facts, flag));
  if (excluded.length > 0) {
    explanation.push(explained("excluded", { exclusions: excluded }));
    return deny(excluded);
  }
  explanation.push(explained("no_exclusion", {}));

  // Step 3: each loss line.
  for (const l of lines) {
    const paidOn = claim.losses[l.lineNo - 1]?.paidOn ?? null;
    const seen = { lineNo: l.lineNo, kind: l.kind, amount: l.amount };
    if (paidOn !== null && l.kind === RANSOM && section.lossKinds[RANSOM]) {
      judgeRansomLine(product, section, l, paidOn, claim.facts, consents, explanation);
      continue;
    }
    l.reason = lineRejection(product, section, l.kind, claim.facts);
    l.accepted = l.reason === null;
    explanation.push(
      l.reason === null
        ? explained("line_accepted", seen)
        : explained("line_rejected", { ...seen, reason: l.reason }),
    );
  }
  const rejectedReasons = unique(lines.filter((l) => l.reason !== null).map((l) => l.reason!));
  const accepted = lines.filter((l) => l.accepted);
  if (accepted.length === 0) return deny(rejectedReasons);

  // Step 4: required information for what was accepted.
  const evidence = unique([
    ...section.evidence,
    ...accepted.flatMap((l) => section.lossKinds[l.kind]?.evidence ?? []),
  ]);
  const missing = evidence.filter((item) => !isTrue(claim.facts, product.evidence[item]!.fact));
  if (missing.length > 0) {
    explanation.push(explained("needs_information", { missing }));
    return { ...base, outcome: "needs_information", payout: 0, reasons: rejectedReasons, missing };
  }
  if (evidence.length > 0) explanation.push(explained("evidence_complete", { evidence }));

  // Step 5: deductible.
  const acceptedTotal = sum(accepted.map((l) => l.acceptedAmount ?? l.amount));
  let payable = Math.max(0, acceptedTotal - section.deductible);
  explanation.push(
    explained("deductible", { accepted: acceptedTotal, deductible: section.deductible, payable }),
  );
  if (payable === 0) return deny([...rejectedReasons, "below_deductible"]);
  const reasons = [...rejectedReasons];

  // Step 6: per-event cap.
  const perEvent = section.perEventLimit;
  if (perEvent !== null && payable > perEvent) {
    reasons.push("per_event_limit");
    explanation.push(explained("per_event_limit", { limit: perEvent }));
    payable = perEvent;
  }

  // Step 7: annual cap of the household type in force on the incident date.
  const limit = section.annualLimit[household as keyof typeof section.annualLimit];
  if (limit === undefined) throw new Error(`section ${section.code} has no annual limit for ${household}`);
  const remaining = Math.max(0, limit - usedInYear);
  explanation.push(
    explained("annual_limit_check", { section: section.code, household, limit, used: usedInYear, remaining }),
  );
  if (remaining === 0) return deny([...reasons, "annual_limit_exhausted"]);
  if (payable > remaining) {
    reasons.push("annual_limit");
    payable = remaining;
  }

  // Step 8: approved.
  const payout = payable;
  explanation.push(explained("approved", { payout }));
  return { ...base, outcome: "approved", payout, reasons: unique(reasons), missing: [] };
}

/** Why a loss line is rejected, or null when the section pays for it. */
function lineRejection(
  product: ProductDefinition,
  section: IndemnitySection,
  kind: string,
  facts: Facts,
): string | null {
  const never = product.neverCoveredLossKinds[kind];
  if (never) return never;
  const specific = section.rejectedLossKinds[kind];
  if (specific) return specific;
  const rule = section.lossKinds[kind];
  if (!rule) return "not_covered_loss";
  if (rule.rejectIfFact && isTrue(facts, rule.rejectIfFact.fact)) return rule.rejectIfFact.rejectAs;
  if (rule.requiresFact && !isTrue(facts, rule.requiresFact.fact)) return rule.requiresFact.rejectAs;
  return null;
}

/** The loss kind a prior consent covers (service-rules.md, "Ransom consent"). */
export const RANSOM = "ransom";

/**
 * A ransom line with its payment date: covered only by a consent given on a day on or before
 * `paidOn` (the latest such consent counts); the part above that consent's maximum is rejected as
 * `ransom_above_consent`. The product's other rules for the kind (never covered, a fact that
 * rejects it) still apply first; the consent takes the place of `facts.ransomConsent`.
 */
function judgeRansomLine(
  product: ProductDefinition,
  section: IndemnitySection,
  l: DecidedLine,
  paidOn: string,
  facts: Facts,
  consents: readonly RansomConsentFact[],
  explanation: ExplanationStep[],
) {
  const seen = { lineNo: l.lineNo, kind: l.kind, amount: l.amount };
  const rule = section.lossKinds[l.kind];
  const other =
    product.neverCoveredLossKinds[l.kind] ??
    section.rejectedLossKinds[l.kind] ??
    (rule?.rejectIfFact && isTrue(facts, rule.rejectIfFact.fact) ? rule.rejectIfFact.rejectAs : null);
  const consent = latestConsent(consents, paidOn);
  const reason = other ?? (consent ? null : "ransom_without_consent");
  if (reason !== null || !consent) {
    l.reason = reason ?? "ransom_without_consent";
    l.accepted = false;
    explanation.push(explained("line_rejected", { ...seen, reason: l.reason }));
    return;
  }
  explanation.push(
    explained("ransom_consent", {
      lineNo: l.lineNo,
      paidOn,
      givenOn: consent.givenOn,
      givenTime: consent.givenTime,
      givenBy: consent.givenBy,
      max: consent.max,
    }),
  );
  l.accepted = true;
  if (l.amount > consent.max) {
    l.reason = "ransom_above_consent";
    l.acceptedAmount = consent.max;
    explanation.push(explained("line_capped", { ...seen, accepted: consent.max, reason: l.reason }));
  } else {
    explanation.push(explained("line_accepted", seen));
  }
}

/** Of the consents given on or before `paidOn`, the latest (by instant); null when none. */
export function latestConsent(
  consents: readonly RansomConsentFact[],
  paidOn: string,
): RansomConsentFact | null {
  let best: RansomConsentFact | null = null;
  for (const c of consents) {
    if (c.givenOn > paidOn) continue;
    if (!best || c.givenAt.getTime() > best.givenAt.getTime()) best = c;
  }
  return best;
}
