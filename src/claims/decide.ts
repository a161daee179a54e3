import { coverOn, householdOn, type PolicyTerms } from "../policies/cover.ts";
import { indemnitySections } from "../products/catalog.ts";
import type { IndemnitySection, ProductDefinition } from "../products/schema.ts";
import { type DateRange, policyYearOf } from "../shared/dates.ts";
import { type Cents, sum } from "../shared/money.ts";
import { describeReason, householdName, line } from "./explain.ts";
import type { ClaimInput, DecidedLine, Decision, ExplanationLine, Facts } from "./types.ts";

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
 * paid in the incident's policy year (read under a row lock by the caller). Pure: same input,
 * same decision, so every decision can be replayed from stored data.
 */
export function decideClaim(
  product: ProductDefinition,
  terms: PolicyTerms,
  claim: ClaimInput,
  usedInYear: Cents,
): Decision {
  const explanation: ExplanationLine[] = [];
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
    explanation.push(
      line(8, "outcome", (lang) =>
        lang === "nl"
          ? `Afgewezen: ${reasons.map((r) => describeReason(r, "nl", product)).join("; ")}.`
          : `Denied: ${reasons.map((r) => describeReason(r, "en", product)).join("; ")}.`,
      ),
    );
    return { ...base, outcome: "denied", payout: 0, reasons: unique(reasons), missing: [] };
  };

  // Step 0: is the peril one this product covers?
  const section = sectionFor(product, claim.peril);
  if (!section) {
    explanation.push(
      line(0, "not_covered_peril", (lang) =>
        lang === "nl"
          ? `De gebeurtenis "${claim.peril}" is niet verzekerd onder ${product.name.nl}.`
          : `The peril "${claim.peril}" is not covered by ${product.name.en}.`,
      ),
    );
    return deny(["not_covered_peril"]);
  }
  base.section = section.code;
  explanation.push(
    line(0, "section", (lang) =>
      lang === "nl"
        ? `De gebeurtenis "${claim.peril}" valt onder rubriek ${section.code}: ${section.name.nl}.`
        : `The peril "${claim.peril}" falls under section ${section.code}: ${section.name.en}.`,
    ),
  );

  // Step 1: cover in force on the incident date.
  const cover = coverOn(terms, claim.incidentDate);
  if (cover.status === "not_in_force") {
    explanation.push(
      line(1, "not_in_force", (lang) =>
        cover.why === "before_start"
          ? lang === "nl"
            ? `Op ${claim.incidentDate} was de verzekering nog niet ingegaan (ingangsdatum ${terms.startDate}).`
            : `On ${claim.incidentDate} the policy had not started yet (start ${terms.startDate}).`
          : lang === "nl"
            ? `Op ${claim.incidentDate} was de verzekering beëindigd (einddatum ${terms.endDate}).`
            : `On ${claim.incidentDate} the policy had ended (end date ${terms.endDate}).`,
      ),
    );
    return deny(["not_in_force"]);
  }
  if (cover.status === "suspended") {
    const s = cover.suspension;
    explanation.push(
      line(1, "cover_suspended", (lang) =>
        lang === "nl"
          ? `Op ${claim.incidentDate} was de dekking geschorst wegens onbetaalde premie (vanaf ${s.from}${s.until ? ` tot en met ${s.until}` : ""}).`
          : `On ${claim.incidentDate} cover was suspended for unpaid premium (from ${s.from}${s.until ? ` through ${s.until}` : ""}).`,
      ),
    );
    return deny(["cover_suspended"]);
  }
  const household = householdOn(terms, claim.incidentDate);
  const year = policyYearOf(terms.startDate, claim.incidentDate, product.leapDayAnniversary);
  base.household = household;
  base.policyYear = { start: year.start, end: year.end };
  explanation.push(
    line(1, "in_force", (lang) =>
      lang === "nl"
        ? `De verzekering was van kracht op ${claim.incidentDate} (verzekeringsjaar vanaf ${year.start}, ${householdName(household, "nl")}).`
        : `The policy was in force on ${claim.incidentDate} (policy year from ${year.start}, ${householdName(household, "en")}).`,
    ),
  );

  // Step 2: claim-level exclusions.
  const excluded = Object.keys(product.exclusions).filter((flag) => isTrue(claim.facts, flag));
  if (excluded.length > 0) {
    explanation.push(
      line(2, "excluded", (lang) =>
        lang === "nl"
          ? `Uitsluiting van toepassing: ${excluded.map((f) => product.exclusions[f]!.nl).join("; ")}.`
          : `Exclusion applies: ${excluded.map((f) => product.exclusions[f]!.en).join("; ")}.`,
      ),
    );
    return deny(excluded);
  }
  explanation.push(
    line(2, "no_exclusion", (lang) =>
      lang === "nl" ? "Geen uitsluiting van toepassing." : "No exclusion applies.",
    ),
  );

  // Step 3: each loss line.
  for (const l of lines) {
    l.reason = lineRejection(product, section, l.kind, claim.facts);
    l.accepted = l.reason === null;
    explanation.push(
      line(3, l.accepted ? "line_accepted" : "line_rejected", (lang, eur) => {
        const head =
          lang === "nl"
            ? `Schadepost ${l.lineNo} (${l.kind}, ${eur(l.amount)})`
            : `Loss line ${l.lineNo} (${l.kind}, ${eur(l.amount)})`;
        if (l.accepted) return lang === "nl" ? `${head}: geaccepteerd.` : `${head}: accepted.`;
        return `${head}: ${lang === "nl" ? "afgewezen" : "rejected"}, ${describeReason(l.reason!, lang, product)} (${l.reason}).`;
      }),
    );
  }
  const rejectedReasons = unique(lines.filter((l) => !l.accepted).map((l) => l.reason!));
  const accepted = lines.filter((l) => l.accepted);
  if (accepted.length === 0) return deny(rejectedReasons);

  // Step 4: required information for what was accepted.
  const evidence = unique([
    ...section.evidence,
    ...accepted.flatMap((l) => section.lossKinds[l.kind]?.evidence ?? []),
  ]);
  const missing = evidence.filter((item) => !isTrue(claim.facts, product.evidence[item]!.fact));
  if (missing.length > 0) {
    explanation.push(
      line(4, "needs_information", (lang) =>
        lang === "nl"
          ? `Nodig voor een beslissing: ${missing.map((m) => product.evidence[m]!.name.nl).join(", ")}.`
          : `Needed before a decision: ${missing.map((m) => product.evidence[m]!.name.en).join(", ")}.`,
      ),
    );
    return { ...base, outcome: "needs_information", payout: 0, reasons: rejectedReasons, missing };
  }
  if (evidence.length > 0) {
    explanation.push(
      line(4, "evidence_complete", (lang) =>
        lang === "nl"
          ? `Aanwezig: ${evidence.map((m) => product.evidence[m]!.name.nl).join(", ")}.`
          : `Provided: ${evidence.map((m) => product.evidence[m]!.name.en).join(", ")}.`,
      ),
    );
  }

  // Step 5: deductible.
  const acceptedTotal = sum(accepted.map((l) => l.amount));
  let payable = Math.max(0, acceptedTotal - section.deductible);
  explanation.push(
    line(5, "deductible", (lang, eur) =>
      lang === "nl"
        ? `Geaccepteerde schade ${eur(acceptedTotal)} min eigen risico ${eur(section.deductible)} = ${eur(payable)}.`
        : `Accepted loss ${eur(acceptedTotal)} minus deductible ${eur(section.deductible)} = ${eur(payable)}.`,
    ),
  );
  if (payable === 0) return deny([...rejectedReasons, "below_deductible"]);
  const reasons = [...rejectedReasons];

  // Step 6: per-event cap.
  const perEvent = section.perEventLimit;
  if (perEvent !== null && payable > perEvent) {
    reasons.push("per_event_limit");
    explanation.push(
      line(6, "per_event_limit", (lang, eur) =>
        lang === "nl"
          ? `Maximum per gebeurtenis ${eur(perEvent)}: uitkering begrensd tot ${eur(perEvent)}.`
          : `Per-event limit ${eur(perEvent)}: payout capped at ${eur(perEvent)}.`,
      ),
    );
    payable = perEvent;
  }

  // Step 7: annual cap of the household type in force on the incident date.
  const limit = section.annualLimit[household as keyof typeof section.annualLimit];
  if (limit === undefined) throw new Error(`section ${section.code} has no annual limit for ${household}`);
  const remaining = Math.max(0, limit - usedInYear);
  explanation.push(
    line(7, "annual_limit_check", (lang, eur) =>
      lang === "nl"
        ? `Jaarmaximum rubriek ${section.code} (${householdName(household, "nl")}) ${eur(limit)}; al uitgekeerd in dit verzekeringsjaar ${eur(usedInYear)}; resterend ${eur(remaining)}.`
        : `Annual limit section ${section.code} (${householdName(household, "en")}) ${eur(limit)}; already paid this policy year ${eur(usedInYear)}; remaining ${eur(remaining)}.`,
    ),
  );
  if (remaining === 0) return deny([...reasons, "annual_limit_exhausted"]);
  if (payable > remaining) {
    reasons.push("annual_limit");
    payable = remaining;
  }

  // Step 8: approved.
  const payout = payable;
  explanation.push(
    line(8, "approved", (lang, eur) =>
      lang === "nl" ? `Goedgekeurd: uitkering ${eur(payout)}.` : `Approved: payout ${eur(payout)}.`,
    ),
  );
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
