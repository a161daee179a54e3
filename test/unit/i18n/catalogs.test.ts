import { describe, expect, it } from "vitest";
import { explainDecision } from "../../../src/claims/explain.ts";
import {
  CORE_REASONS,
  type ExplanationStep,
  STEP_CODES,
  STEP_OF,
  type StepParams,
} from "../../../src/claims/steps.ts";
import { defaultCatalog } from "../../../src/products/catalog.ts";
import { indemnitySections } from "../../../src/products/schema.ts";
import { CATALOGS, hasText, LANGUAGES } from "../../../src/shared/i18n/index.ts";

const products = defaultCatalog().list();
const nl = defaultCatalog().get("nl-cyber", 1);

/** Every key of a catalog, as "claim.step.section". */
function keys(tree: unknown, prefix = ""): string[] {
  if (typeof tree !== "object" || tree === null) return [prefix];
  return Object.entries(tree).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

/**
 * One example of every code the platform can put in an explanation: a `Record` over the codes, so
 * a new code does not compile until it has an example here, and then fails below until every
 * catalog words it.
 */
const EXAMPLES: { [C in keyof StepParams]: StepParams[C][] } = {
  not_covered_peril: [{ peril: "cyberbullying" }],
  section: [{ peril: "hacking", section: "C" }],
  not_in_force: [
    { incidentDate: "2026-01-01", why: "before_start", startDate: "2026-02-01", endDate: null },
    { incidentDate: "2026-05-01", why: "ended", startDate: "2026-02-01", endDate: "2026-04-01" },
  ],
  cover_suspended: [
    { incidentDate: "2026-03-21", from: "2026-03-20", until: null },
    { incidentDate: "2026-03-21", from: "2026-03-20", until: "2026-03-25" },
  ],
  in_force: [{ incidentDate: "2026-03-21", policyYearStart: "2026-01-01", household: "single" }],
  excluded: [{ exclusions: ["gambling", "nft"] }],
  no_exclusion: [{}],
  line_accepted: [{ lineNo: 1, kind: "ransom", amount: 30_000 }],
  line_rejected: [
    { lineNo: 2, kind: "ransom", amount: 30_000, reason: "ransom_without_consent" },
    { lineNo: 3, kind: "lost_business_income", amount: 100, reason: "self_employed_income" },
  ],
  ransom_consent: [
    {
      lineNo: 1,
      paidOn: "2026-05-06",
      givenOn: "2026-05-05",
      givenTime: "09:40",
      givenBy: "Sam Super",
      max: 80_000,
    },
  ],
  line_capped: [
    { lineNo: 1, kind: "ransom", amount: 100_000, accepted: 80_000, reason: "ransom_above_consent" },
  ],
  needs_information: [{ missing: ["police_report", "bank_refusal_proof"] }],
  evidence_complete: [{ evidence: ["police_report"] }],
  deductible: [{ accepted: 123_456, deductible: 5_000, payable: 118_456 }],
  per_event_limit: [{ limit: 150_000 }],
  annual_limit_check: [{ section: "E", household: "family", limit: 250_000, used: 0, remaining: 250_000 }],
  approved: [{ payout: 150_000 }],
  outcome: [{ reasons: ["gambling", "below_deductible"] }],
  override: [
    { outcome: "approved", payout: 10_000, note: "goodwill after a call" },
    { outcome: "denied", payout: 0, note: "fraud established" },
  ],
  four_eyes_approved: [{}],
  ex_gratia: [{ cover: 115_000, exGratia: 5_000 }],
  ex_gratia_approved: [{}],
};

const examples = (Object.keys(EXAMPLES) as (keyof StepParams)[]).flatMap((code) =>
  EXAMPLES[code].map((params) => ({ step: STEP_OF[code], code, params }) as ExplanationStep),
);

describe("message catalogs", () => {
  it("hold the same texts in nl, fr and en", () => {
    const nlKeys = keys(CATALOGS.nl).sort();
    for (const language of LANGUAGES) expect(keys(CATALOGS[language]).sort()).toEqual(nlKeys);
  });

  it("word every explanation code in every language", () => {
    expect(new Set(examples.map((e) => e.code))).toEqual(new Set(STEP_CODES));
    for (const language of LANGUAGES) {
      const shown = explainDecision(nl, language, {
        outcome: "denied",
        payout: 0,
        missing: [],
        explanation: examples,
      });
      expect(shown.steps).toHaveLength(examples.length);
      for (const s of shown.steps) {
        expect(s.text.trim()).not.toBe("");
        expect(s.text).not.toMatch(/\b[a-z]+_[a-z_]+\b|\d{4}-\d{2}-\d{2}|\{\{/);
      }
    }
  });

  it("word every reason, peril, loss kind and household of every product, and the core's own reasons", () => {
    const needed = new Set<string>(CORE_REASONS.map((r) => `reason.${r}`));
    for (const p of products) {
      for (const h of p.households) needed.add(`household.${h}`);
      for (const [kind, reason] of Object.entries(p.neverCoveredLossKinds)) {
        needed.add(`lossKind.${kind}`).add(`reason.${reason}`);
      }
      for (const s of indemnitySections(p)) {
        for (const peril of s.perils) needed.add(`peril.${peril}`);
        for (const [kind, rule] of Object.entries(s.lossKinds)) {
          needed.add(`lossKind.${kind}`);
          for (const c of [rule.requiresFact, rule.rejectIfFact]) if (c) needed.add(`reason.${c.rejectAs}`);
        }
        for (const [kind, reason] of Object.entries(s.rejectedLossKinds)) {
          needed.add(`lossKind.${kind}`).add(`reason.${reason}`);
        }
      }
    }
    const missing = LANGUAGES.flatMap((language) =>
      [...needed].filter((key) => !hasText(language, key)).map((key) => `${language}: ${key}`),
    );
    expect(missing).toEqual([]);
  });

  it("close every outcome with the next step and the product's complaint route", () => {
    for (const p of products) {
      for (const language of LANGUAGES) {
        for (const outcome of ["approved", "denied", "needs_information", "referred"] as const) {
          const shown = explainDecision(p, language, { outcome, payout: 100, missing: [], explanation: [] });
          expect(shown.nextStep.trim()).not.toBe("");
          expect(shown.complaints).toContain(p.complaints.desk[language]);
          expect(shown.complaints).toContain(p.complaints.ombudsman[language]);
        }
      }
    }
  });
});
