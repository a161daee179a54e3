import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decideClaim } from "../../../src/claims/decide.ts";
import { coverOn, householdOn, type PolicyTerms } from "../../../src/policies/cover.ts";
import { defaultCatalog } from "../../../src/products/catalog.ts";
import type { HouseholdType } from "../../../src/products/schema.ts";
import { addDays, compareDates } from "../../../src/shared/dates.ts";

const nl = defaultCatalog().get("nl-cyber", 1);

function terms(overrides: Partial<PolicyTerms> = {}): PolicyTerms {
  return {
    startDate: "2026-01-01",
    household: "single",
    endorsements: [],
    endDate: null,
    endReason: null,
    suspensions: [],
    ...overrides,
  };
}

/** Bound single, family from 1 March, back to single from 1 June (listed out of order on purpose). */
const twoEndorsements = terms({
  endorsements: [
    { effectiveDate: "2026-06-01", household: "single" },
    { effectiveDate: "2026-03-01", household: "family" },
  ],
});

describe("the household in force", () => {
  it("is the latest endorsement on or before the date: single, family from 1 March, single again from 1 June", () => {
    expect(householdOn(twoEndorsements, "2026-02-28")).toBe("single");
    expect(householdOn(twoEndorsements, "2026-03-01")).toBe("family");
    expect(householdOn(twoEndorsements, "2026-05-31")).toBe("family");
    expect(householdOn(twoEndorsements, "2026-06-01")).toBe("single");
    expect(householdOn(twoEndorsements, "2026-07-01")).toBe("single");
  });

  it("a hacking claim of 2,000 on 1 July is capped by the single limit (1,500), not the family one", () => {
    const claim = {
      peril: "hacking",
      incidentDate: "2026-07-01",
      losses: [{ kind: "device_repair", amount: 200_000 }],
      facts: { policeReport: true, bankRefusalProof: true },
    };
    const d = decideClaim(nl, twoEndorsements, claim, 0);
    expect(d.payout).toBe(150_000);
    expect(d.reasons).toEqual(["annual_limit"]);
    const inMay = decideClaim(nl, twoEndorsements, { ...claim, incidentDate: "2026-05-01" }, 0);
    expect(inMay.payout).toBe(195_000);
  });

  it("two changes effective on the same day: the one recorded last counts, as billing re-prices", () => {
    const sameDay = terms({
      endorsements: [
        { effectiveDate: "2026-03-01", household: "family" },
        { effectiveDate: "2026-03-01", household: "single" },
      ],
    });
    expect(householdOn(sameDay, "2026-03-01")).toBe("single");
    expect(householdOn({ ...sameDay, endorsements: [...sameDay.endorsements].reverse() }, "2026-03-01")).toBe(
      "family",
    );
  });

  it("property: whatever the order of the endorsements, the household is that of the latest one on or before the date", () => {
    const day = fc.integer({ min: 0, max: 400 }).map((n) => addDays("2026-01-01", n));
    const endorsement = fc.record({
      effectiveDate: day,
      household: fc.constantFrom<HouseholdType>("single", "family"),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(endorsement, { selector: (e) => e.effectiveDate, maxLength: 6 }),
        day,
        (es, date) => {
          const t = terms({ household: "family", endorsements: es });
          const latest = es
            .filter((e) => compareDates(e.effectiveDate, date) <= 0)
            .sort((a, b) => compareDates(a.effectiveDate, b.effectiveDate))
            .at(-1);
          expect(householdOn(t, date)).toBe(latest?.household ?? "family");
        },
      ),
    );
  });
});

describe("cover on a date", () => {
  const t = terms({ endDate: "2026-09-01", suspensions: [{ from: "2026-04-10", until: "2026-04-20" }] });

  it("is not in force before the start nor from the end date on", () => {
    expect(coverOn(t, "2025-12-31")).toEqual({ status: "not_in_force", why: "before_start" });
    expect(coverOn(t, "2026-01-01")).toEqual({ status: "in_force" });
    expect(coverOn(t, "2026-08-31")).toEqual({ status: "in_force" });
    expect(coverOn(t, "2026-09-01")).toEqual({ status: "not_in_force", why: "ended" });
  });

  it("is suspended from the first to the last suspended day, both included", () => {
    expect(coverOn(t, "2026-04-09")).toEqual({ status: "in_force" });
    expect(coverOn(t, "2026-04-10").status).toBe("suspended");
    expect(coverOn(t, "2026-04-20").status).toBe("suspended");
    expect(coverOn(t, "2026-04-21")).toEqual({ status: "in_force" });
  });

  it("an ongoing suspension lasts until lifted", () => {
    const open = terms({ suspensions: [{ from: "2026-04-10", until: null }] });
    expect(coverOn(open, "2027-01-01")).toEqual({
      status: "suspended",
      suspension: { from: "2026-04-10", until: null },
    });
  });
});
