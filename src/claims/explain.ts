import type { ProductDefinition } from "../products/index.ts";
import { hasText, type Language, listOf, localeOf, t } from "../shared/i18n/index.ts";
import type { Cents } from "../shared/money.ts";
import type { ExplanationStep } from "./steps.ts";

/** One step as the reader sees it: numbered 1, 2, 3… in the order shown, whatever rule it follows. */
export interface RenderedStep {
  number: number;
  /** The rule step of coverage-rules.md (0–8; 9 for a handler's override). */
  step: number;
  code: ExplanationStep["code"];
  text: string;
}

export interface RenderedExplanation {
  language: Language;
  steps: RenderedStep[];
  /** What happens now, or what the policyholder has to do. */
  nextStep: string;
  /** The complaint route of the product: the insurer's desk, then the ombudsman. */
  complaints: string;
}

export interface ExplainedDecision {
  outcome: "approved" | "denied" | "needs_information" | "referred";
  payout: Cents;
  missing: readonly string[];
  explanation: readonly ExplanationStep[];
}

/**
 * Words for a decision, from its codes: the catalogs name what every product shares (perils, loss
 * kinds, reasons), the product version the decision was made under names its own parts (sections,
 * exclusions, evidence, the complaint route). Pure: the same stored decision reads the same way.
 */
export function explainDecision(
  product: ProductDefinition,
  language: Language,
  d: ExplainedDecision,
): RenderedExplanation {
  const locale = localeOf(language, product.country);
  const w = words(product, language, locale);
  return {
    language,
    steps: d.explanation.map((s, i) => ({
      number: i + 1,
      step: s.step,
      code: s.code,
      text: stepText(locale, w, s),
    })),
    nextStep: t(locale, `claim.next.${d.outcome}`, { payout: d.payout, missing: w.evidence(d.missing) }),
    complaints: t(locale, "claim.complaints", {
      desk: product.complaints.desk[language],
      ombudsman: product.complaints.ombudsman[language],
    }),
  };
}

type Words = ReturnType<typeof words>;

function words(product: ProductDefinition, language: Language, locale: string) {
  const reason = (code: string) => {
    const exclusion = product.exclusions[code];
    if (exclusion) return t(locale, "reason.excluded", { exclusion: exclusion[language] });
    // The helpline's reasons (ransom_above_consent) live in its own catalog block.
    return hasText(language, `reason.${code}`)
      ? t(locale, `reason.${code}`)
      : t(locale, `assistance.claimReason.${code}`);
  };
  return {
    product: product.name[language],
    peril: (code: string) => t(locale, `peril.${code}`),
    kind: (code: string) => t(locale, `lossKind.${code}`),
    household: (code: string) => t(locale, `household.${code}`),
    section: (code: string) => product.sections.find((s) => s.code === code)?.name[language] ?? code,
    reason,
    reasons: (codes: readonly string[]) => codes.map(reason).join("; "),
    exclusions: (codes: readonly string[]) =>
      codes.map((c) => product.exclusions[c]?.[language] ?? reason(c)).join("; "),
    evidence: (codes: readonly string[]) =>
      listOf(
        locale,
        codes.map((c) => product.evidence[c]?.name[language] ?? c),
      ),
  };
}

function stepText(locale: string, w: Words, s: ExplanationStep): string {
  const key = `claim.step.${s.code}`;
  switch (s.code) {
    case "not_covered_peril":
      return t(locale, key, { peril: w.peril(s.params.peril), product: w.product });
    case "section":
      return t(locale, key, {
        peril: w.peril(s.params.peril),
        section: s.params.section,
        sectionName: w.section(s.params.section),
      });
    case "not_in_force":
      return t(locale, `${key}_${s.params.why}`, s.params);
    case "cover_suspended":
      return t(locale, s.params.until === null ? key : `${key}_until`, s.params);
    case "in_force":
      return t(locale, key, { ...s.params, household: w.household(s.params.household) });
    case "excluded":
      return t(locale, key, { exclusions: w.exclusions(s.params.exclusions) });
    case "line_accepted":
      return t(locale, key, { ...s.params, kind: w.kind(s.params.kind) });
    case "line_rejected":
      return t(locale, key, { ...s.params, kind: w.kind(s.params.kind), reason: w.reason(s.params.reason) });
    case "ransom_consent":
      return t(locale, `assistance.claimStep.${s.code}`, s.params);
    case "line_capped":
      return t(locale, `assistance.claimStep.${s.code}`, {
        ...s.params,
        kind: w.kind(s.params.kind),
        reason: w.reason(s.params.reason),
      });
    case "needs_information":
      return t(locale, key, { missing: w.evidence(s.params.missing) });
    case "evidence_complete":
      return t(locale, key, { evidence: w.evidence(s.params.evidence) });
    case "annual_limit_check":
      return t(locale, key, { ...s.params, household: w.household(s.params.household) });
    case "outcome":
      return t(locale, key, { reasons: w.reasons(s.params.reasons) });
    case "override":
      return t(locale, key, { ...s.params, outcome: t(locale, `outcome.${s.params.outcome}`) });
    case "no_exclusion":
    case "deductible":
    case "per_event_limit":
    case "approved":
    case "four_eyes_approved":
    case "ex_gratia":
    case "ex_gratia_approved":
      return t(locale, key, s.params);
  }
}
