import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  adjustmentTargets,
  type InvoicedPeriod,
  installmentPrice,
  type Period,
  periodsDue,
  sequenceType,
  splitSurcharge,
} from "../../../src/billing/schedule.ts";
import { defaultCatalog } from "../../../src/products/catalog.ts";
import type { HouseholdType } from "../../../src/products/schema.ts";
import { addDays } from "../../../src/shared/dates.ts";

/**
 * The money rules of the schedule as a product person states them (issue 17: each of these was a
 * mutation no test noticed). nl-cyber v1 monthly by direct debit: single 4.12 (4.00 premium +
 * 0.12 surcharge), family 6.18 (6.00 + 0.18); the difference is 2.06 a month.
 */
const product = defaultCatalog().get("nl-cyber", 1);
const monthly = (h: HouseholdType) => installmentPrice(product, h, "monthly", "sepa_direct_debit");
const priceOf = (h: HouseholdType) => monthly(h).amount;

/** The March 2026 invoice: 31 days, billed under `household`. */
const march = (household: HouseholdType): InvoicedPeriod => ({
  start: "2026-03-01",
  end: "2026-04-01",
  household,
  amount: monthly(household).amount,
  surcharge: monthly(household).surcharge,
});

describe("an installment's premium and surcharge", () => {
  it("a monthly single installment of 4.12 is 4.00 premium and 0.12 surcharge", () => {
    expect(monthly("single")).toEqual({ amount: 412, premium: 400, surcharge: 12 });
    expect(monthly("family")).toEqual({ amount: 618, premium: 600, surcharge: 18 });
  });

  it("an annual installment has no surcharge", () => {
    expect(installmentPrice(product, "single", "annual", "bank_transfer")).toEqual({
      amount: 4800,
      premium: 4800,
      surcharge: 0,
    });
  });
});

describe("a household change inside an invoiced month", () => {
  it("a downgrade (family → single) on 16 March is credited 1.06 for the 16 days left", () => {
    const t = adjustmentTargets(
      march("family"),
      "family",
      [{ effectiveDate: "2026-03-16", household: "single" }],
      null,
      priceOf,
    );
    expect(t.householdChange).toEqual({ amount: -106, effective: "2026-03-16" });
    expect(t.cancellation).toEqual({ amount: 0, effective: null });
  });

  it("an upgrade (single → family) on 16 March is charged 1.06", () => {
    const t = adjustmentTargets(
      march("single"),
      "single",
      [{ effectiveDate: "2026-03-16", household: "family" }],
      null,
      priceOf,
    );
    expect(t.householdChange).toEqual({ amount: 106, effective: "2026-03-16" });
  });

  it("a change before the invoiced month re-prices the whole month: +2.06, never days outside it", () => {
    const t = adjustmentTargets(
      march("single"),
      "single",
      [{ effectiveDate: "2026-02-15", household: "family" }],
      null,
      priceOf,
    );
    expect(t.householdChange).toEqual({ amount: 206, effective: "2026-03-01" });
  });

  it("a change on the first day of the month re-prices the whole month", () => {
    const t = adjustmentTargets(
      march("family"),
      "single",
      [{ effectiveDate: "2026-03-01", household: "family" }],
      null,
      priceOf,
    );
    expect(t.householdChange).toEqual({ amount: 0, effective: null });
  });

  it("a change after the month changes nothing of it", () => {
    const t = adjustmentTargets(
      march("single"),
      "single",
      [{ effectiveDate: "2026-04-01", household: "family" }],
      null,
      priceOf,
    );
    expect(t.householdChange).toEqual({ amount: 0, effective: null });
  });

  it("there and back inside the month: only the days under the other household count, whatever order the changes come in", () => {
    const changes = [
      { effectiveDate: "2026-03-21", household: "single" as const },
      { effectiveDate: "2026-03-11", household: "family" as const },
    ];
    const t = adjustmentTargets(march("single"), "single", changes, null, priceOf);
    // 10 days under family: round_half_up(206 × 10 / 31) = 66.
    expect(t.householdChange).toEqual({ amount: 66, effective: "2026-03-11" });
  });

  it("a change after the end of cover is not re-priced: the unused days are credited instead", () => {
    const t = adjustmentTargets(
      march("single"),
      "single",
      [{ effectiveDate: "2026-03-25", household: "family" }],
      "2026-03-21",
      priceOf,
    );
    expect(t.householdChange).toEqual({ amount: 0, effective: null });
    // 11 unused days of 31: round_half_up(412 × 11 / 31) = 146.
    expect(t.cancellation).toEqual({ amount: -146, effective: "2026-03-21" });
  });

  it("a change back after the month leaves the month re-priced in full, not beyond its last day", () => {
    const t = adjustmentTargets(
      march("single"),
      "family",
      [{ effectiveDate: "2026-04-10", household: "single" }],
      null,
      priceOf,
    );
    expect(t.householdChange).toEqual({ amount: 206, effective: "2026-03-01" });
  });

  it("cover ending after the month re-prices only the month's own days", () => {
    const t = adjustmentTargets(march("single"), "family", [], "2026-05-01", priceOf);
    expect(t.householdChange).toEqual({ amount: 206, effective: "2026-03-01" });
    expect(t.cancellation).toEqual({ amount: 0, effective: null });
  });

  it("cover ending before the month: no used days to re-price, no household correction date", () => {
    const t = adjustmentTargets(march("single"), "family", [], "2026-02-10", priceOf);
    expect(t.householdChange).toEqual({ amount: 0, effective: null });
    expect(t.cancellation).toEqual({ amount: -412, effective: "2026-03-01" });
  });

  it("a downgrade's correction is never positive, an upgrade's never negative", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), (offset) => {
        const effectiveDate = addDays("2026-02-20", offset);
        const down = adjustmentTargets(
          march("family"),
          "family",
          [{ effectiveDate, household: "single" }],
          null,
          priceOf,
        );
        const up = adjustmentTargets(
          march("single"),
          "single",
          [{ effectiveDate, household: "family" }],
          null,
          priceOf,
        );
        expect(down.householdChange.amount).toBeLessThanOrEqual(0);
        expect(up.householdChange.amount).toBe(0 - down.householdChange.amount);
        expect(Math.abs(up.householdChange.amount)).toBeLessThanOrEqual(206);
      }),
    );
  });
});

describe("a cancellation inside an invoiced month", () => {
  it("cover ending on 21 March credits the 11 unused days from 21 March", () => {
    const t = adjustmentTargets(march("family"), "family", [], "2026-03-21", priceOf);
    // round_half_up(618 × 11 / 31) = 219.
    expect(t.cancellation).toEqual({ amount: -219, effective: "2026-03-21" });
    expect(t.householdChange).toEqual({ amount: 0, effective: null });
  });

  it("cover ending before the month credits all of it from the month's first day", () => {
    const t = adjustmentTargets(march("family"), "family", [], "2026-02-10", priceOf);
    expect(t.cancellation).toEqual({ amount: -618, effective: "2026-03-01" });
  });

  it("cover ending on the month's last day (end 1 April) credits nothing", () => {
    const t = adjustmentTargets(march("family"), "family", [], "2026-04-01", priceOf);
    expect(t.cancellation).toEqual({ amount: 0, effective: null });
  });
});

describe("a correction split into premium and surcharge", () => {
  it("a credit of 1.06 on a family invoice (0.18 of 6.18 surcharge) is 1.03 premium and 0.03 surcharge, both negative", () => {
    expect(splitSurcharge(-106, march("family"))).toEqual({ premium: -103, surcharge: -3 });
    expect(splitSurcharge(106, march("family"))).toEqual({ premium: 103, surcharge: 3 });
  });

  it("an invoice without surcharge keeps the whole correction as premium", () => {
    const annual: InvoicedPeriod = { ...march("single"), amount: 4800, surcharge: 0 };
    expect(splitSurcharge(-500, annual)).toEqual({ premium: -500, surcharge: 0 });
    expect(splitSurcharge(-500, { ...annual, amount: 0, surcharge: 12 })).toEqual({
      premium: -500,
      surcharge: 0,
    });
  });

  it("the two parts always add up to the correction and share its sign", () => {
    fc.assert(
      fc.property(fc.integer({ min: -10_000, max: 10_000 }), (amount) => {
        const s = splitSurcharge(amount, march("family"));
        expect(s.premium + s.surcharge).toBe(amount);
        expect(Math.sign(s.surcharge) * Math.sign(amount)).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});

describe("periods due", () => {
  const terms = {
    startDate: "2026-01-01",
    leapDay: "feb28" as const,
    installments: 12,
    endDate: "2026-03-01",
  };

  it("cover ending on 1 March bills January and February, never March to June", () => {
    expect(periodsDue(terms, null, "2026-06-15").map((p) => p.start)).toEqual(["2026-01-01", "2026-02-01"]);
    expect(periodsDue(terms, "2026-03-01", "2026-06-15")).toEqual([]);
  });

  it("cover ending mid-month still bills that month (credited later)", () => {
    const p = periodsDue({ ...terms, endDate: "2026-03-10" }, "2026-02-01", "2026-06-15");
    expect(p.map((x) => x.start)).toEqual(["2026-02-01", "2026-03-01"]);
  });

  it("a run before the start date bills nothing; a run on it bills the first period", () => {
    expect(periodsDue(terms, null, "2025-12-31")).toEqual([]);
    expect(periodsDue(terms, null, "2026-01-01").map((p) => p.start)).toEqual(["2026-01-01"]);
  });
});

describe("the SEPA sequence type of a collection", () => {
  const period: Period = { start: "2026-03-01", end: "2026-04-01", yearStart: "2026-01-01", index: 2 };

  it("FRST on a mandate's first collection, even if it is also the last", () => {
    expect(sequenceType(true, period, null)).toBe("FRST");
    expect(sequenceType(true, period, "2026-04-01")).toBe("FRST");
  });

  it("FNAL when the cover ends at or before the period's end", () => {
    expect(sequenceType(false, period, "2026-04-01")).toBe("FNAL");
    expect(sequenceType(false, period, "2026-03-15")).toBe("FNAL");
  });

  it("RCUR otherwise: no end, or an end after the period", () => {
    expect(sequenceType(false, period, null)).toBe("RCUR");
    expect(sequenceType(false, period, "2026-04-02")).toBe("RCUR");
  });
});
