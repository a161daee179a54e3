import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decideClaim, limitKey } from "../../../src/claims/decide.ts";
import { explainDecision } from "../../../src/claims/explain.ts";
import type { ClaimInput } from "../../../src/claims/types.ts";
import { householdOn, type PolicyTerms } from "../../../src/policies/cover.ts";
import { defaultCatalog } from "../../../src/products/catalog.ts";
import type { HouseholdType, IndemnitySection, ProductDefinition } from "../../../src/products/schema.ts";
import { indemnitySections } from "../../../src/products/schema.ts";
import { addDays } from "../../../src/shared/dates.ts";
import { LANGUAGES } from "../../../src/shared/i18n/index.ts";
import { cents, policyStart } from "../../support/arbitraries.ts";

const catalog = defaultCatalog();
const products = catalog.list();
const allPerils = [...catalog.knownPerils];
const allKinds = [...catalog.knownLossKinds];
const allExclusions = [...new Set(products.flatMap((p) => Object.keys(p.exclusions)))];

function sectionOf(product: ProductDefinition, peril: string): IndemnitySection | undefined {
  return indemnitySections(product).find((s) => s.perils.includes(peril));
}

/** Facts biased towards a complete claim so that many claims reach the caps. */
const facts = fc
  .record({
    policeReport: fc.boolean(),
    bankRefusalProof: fc.boolean(),
    bankReimbursed: fc.boolean(),
    ransomConsent: fc.boolean(),
    proofOfPurchase: fc.boolean(),
    exclusion: fc.option(fc.constantFrom(...allExclusions), { freq: 10 }),
  })
  .map(({ exclusion, ...rest }) => (exclusion === null ? rest : { ...rest, [exclusion]: true }));

const completeFacts = fc.constantFrom({
  policeReport: true,
  bankRefusalProof: true,
  bankReimbursed: false,
  ransomConsent: true,
  proofOfPurchase: true,
});

/** Loss lines for a peril: mostly kinds its section pays for, sometimes any known kind. */
function lossesFor(product: ProductDefinition, peril: string, maxAmount: number) {
  const own = Object.keys(sectionOf(product, peril)?.lossKinds ?? {});
  const kind =
    own.length > 0
      ? fc.oneof(
          { weight: 4, arbitrary: fc.constantFrom(...own) },
          { weight: 1, arbitrary: fc.constantFrom(...allKinds) },
        )
      : fc.constantFrom(...allKinds);
  return fc.array(fc.record({ kind, amount: cents(maxAmount) }), { minLength: 1, maxLength: 3 });
}

const household = fc.constantFrom<HouseholdType>("single", "family");

/** One product, a policy and a claim on it: peril from any product, incident around the start. */
const scenario = fc
  .constantFrom(...products)
  .chain((product) =>
    fc.record({
      product: fc.constant(product),
      peril: fc.oneof(
        { weight: 5, arbitrary: fc.constantFrom(...indemnitySections(product).flatMap((s) => s.perils)) },
        { weight: 1, arbitrary: fc.constantFrom(...allPerils) },
      ),
      household: product.households.length > 1 ? household : fc.constant(product.households[0]!),
      start: policyStart(),
      incidentOffset: fc.integer({ min: -30, max: 1_000 }),
      facts: fc.oneof(facts, completeFacts),
      used: fc.oneof(fc.constant(0), cents(600_000)),
    }),
  )
  .chain((s) => lossesFor(s.product, s.peril, 800_000).map((losses) => ({ ...s, losses })));

function termsOf(start: string, h: HouseholdType): PolicyTerms {
  return {
    startDate: start,
    household: h,
    endorsements: [],
    endDate: null,
    endReason: null,
    suspensions: [],
  };
}

describe("decideClaim properties", () => {
  it("(a) a payout never exceeds the section's per-event cap nor what is left of the annual limit", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const terms = termsOf(s.start, s.household);
        const c: ClaimInput = {
          peril: s.peril,
          incidentDate: addDays(s.start, s.incidentOffset),
          losses: s.losses,
          facts: s.facts,
        };
        const d = decideClaim(s.product, terms, c, s.used);
        const section = sectionOf(s.product, s.peril);
        if (!section) {
          expect(d.reasons).toEqual(["not_covered_peril"]);
          return;
        }
        const limit = section.annualLimit[s.household]!;
        if (section.perEventLimit !== null) expect(d.payout).toBeLessThanOrEqual(section.perEventLimit);
        expect(d.payout).toBeLessThanOrEqual(Math.max(0, limit - s.used));
        const accepted = d.lines.filter((l) => l.accepted).reduce((t, l) => t + l.amount, 0);
        expect(d.payout).toBeLessThanOrEqual(Math.max(0, accepted - section.deductible));
      }),
      { numRuns: 500 },
    );
  });

  it("(c) payout is 0 unless approved, and approved implies a positive payout", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const c: ClaimInput = {
          peril: s.peril,
          incidentDate: addDays(s.start, s.incidentOffset),
          losses: s.losses,
          facts: s.facts,
        };
        const d = decideClaim(s.product, termsOf(s.start, s.household), c, s.used);
        expect(Number.isSafeInteger(d.payout)).toBe(true);
        if (d.outcome === "approved") {
          expect(d.payout).toBeGreaterThan(0);
          expect(d.missing).toEqual([]);
        } else {
          expect(d.payout).toBe(0);
        }
        if (d.outcome === "needs_information") expect(d.missing.length).toBeGreaterThan(0);
        // Every line is decided (accepted xor a reason) once the claim got past the exclusions.
        if (d.explanation.some((l) => l.code === "no_exclusion")) {
          for (const l of d.lines) expect(l.accepted).toBe(l.reason === null);
        }
        for (const language of LANGUAGES) {
          const shown = explainDecision(s.product, language, d);
          shown.steps.forEach((step, i) => {
            expect(step.number).toBe(i + 1);
            expect(step.text).not.toBe("");
            // Read as a consumer would: no internal codes ("cyber_extortion") and no ISO dates.
            expect(step.text).not.toMatch(/\b[a-z]+_[a-z_]+\b|\d{4}-\d{2}-\d{2}/);
          });
          expect(shown.nextStep).not.toBe("");
        }
      }),
      { numRuns: 500 },
    );
  });

  type Event =
    | {
        type: "claim";
        peril: string;
        offset: number;
        losses: { kind: string; amount: number }[];
        facts: Record<string, unknown>;
      }
    | { type: "household"; household: HouseholdType; afterDays: number };

  const nl = catalog.get("nl-cyber");
  const nlPerils = indemnitySections(nl).flatMap((s) => s.perils);
  const claimEvent: fc.Arbitrary<Event> = fc.constantFrom(...nlPerils).chain((peril) =>
    fc.record({
      type: fc.constant("claim" as const),
      peril: fc.constant(peril),
      offset: fc.integer({ min: 0, max: 900 }),
      losses: lossesFor(nl, peril, 300_000),
      facts: fc.oneof({ weight: 4, arbitrary: completeFacts }, { weight: 1, arbitrary: facts }),
    }),
  );
  const householdEvent: fc.Arbitrary<Event> = fc.record({
    type: fc.constant("household" as const),
    household,
    afterDays: fc.integer({ min: 0, max: 400 }),
  });

  it("(b) paid per section per policy year never exceeds the limit of the household in force", () => {
    fc.assert(
      fc.property(
        policyStart(),
        household,
        fc.array(fc.oneof({ weight: 5, arbitrary: claimEvent }, { weight: 1, arbitrary: householdEvent }), {
          minLength: 1,
          maxLength: 40,
        }),
        (start, initial, events) => {
          const endorsements: { effectiveDate: string; household: HouseholdType }[] = [];
          let lastEffective = start;
          const used = new Map<string, number>();
          const limitsSeen = new Map<string, number[]>();
          for (const e of events) {
            if (e.type === "household") {
              lastEffective = addDays(lastEffective, e.afterDays);
              endorsements.push({ effectiveDate: lastEffective, household: e.household });
              continue;
            }
            const terms: PolicyTerms = { ...termsOf(start, initial), endorsements: [...endorsements] };
            const c: ClaimInput = {
              peril: e.peril,
              incidentDate: addDays(start, e.offset),
              losses: e.losses,
              facts: e.facts,
            };
            const key = limitKey(nl, terms, c);
            expect(key).not.toBeNull();
            const k = `${key!.section}|${key!.policyYearStart}`;
            const before = used.get(k) ?? 0;
            const d = decideClaim(nl, terms, c, before);
            const inForce = householdOn(terms, c.incidentDate);
            const limit = sectionOf(nl, e.peril)!.annualLimit[inForce]!;
            if (before >= limit) expect(d.payout).toBe(0);
            if (d.payout > 0) {
              expect(before + d.payout).toBeLessThanOrEqual(limit);
              expect(d.household).toBe(inForce);
              limitsSeen.set(k, [...(limitsSeen.get(k) ?? []), limit]);
            }
            used.set(k, before + d.payout);
          }
          // Over the whole sequence: the total per section and year stays within the largest
          // limit in force when something was paid (the family limit at most).
          for (const [k, total] of used) {
            const seen = limitsSeen.get(k) ?? [0];
            expect(total).toBeLessThanOrEqual(Math.max(...seen));
            const section = indemnitySections(nl).find((x) => x.code === k.split("|")[0])!;
            expect(total).toBeLessThanOrEqual(section.annualLimit.family!);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("(b') the sequence property bites: limits are reached in a long run of large claims", () => {
    // A deterministic run that must hit annual_limit and annual_limit_exhausted, so (b) is not vacuous.
    const terms = termsOf("2026-01-01", "single");
    let used = 0;
    const reasons: string[] = [];
    for (let i = 0; i < 5; i++) {
      const d = decideClaim(
        nl,
        terms,
        {
          peril: "hacking",
          incidentDate: addDays("2026-01-01", i * 10),
          losses: [{ kind: "device_repair", amount: 60_000 }],
          facts: { policeReport: true },
        },
        used,
      );
      used += d.payout;
      reasons.push(...d.reasons);
    }
    expect(used).toBe(150_000);
    expect(reasons).toContain("annual_limit");
    expect(reasons).toContain("annual_limit_exhausted");
  });
});
