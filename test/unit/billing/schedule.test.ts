import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  adjustmentTargets,
  collectionDate,
  installmentPrice,
  periodsDue,
  yearPeriods,
} from "../../../src/billing/schedule.ts";
import { defaultCatalog } from "../../../src/products/catalog.ts";
import { quote } from "../../../src/products/quote.ts";
import type { HouseholdType, PaymentFrequency } from "../../../src/products/schema.ts";
import { addDays, compareDates, daysBetween } from "../../../src/shared/dates.ts";

const product = defaultCatalog().get("nl-cyber", 1);
const frequencies: PaymentFrequency[] = ["annual", "half_yearly", "quarterly", "monthly"];
const installmentsOf = (f: PaymentFrequency) => product.paymentFrequencies[f]!.installments;

const day = fc.integer({ min: 0, max: 3 * 365 }).map((n) => addDays("2026-01-01", n));
const household = fc.constantFrom<HouseholdType>("single", "family");
const frequency = fc.constantFrom(...frequencies);

describe("schedule", () => {
  it("the installments of a policy year add up to the quoted annual total", () => {
    fc.assert(
      fc.property(day, household, frequency, fc.integer({ min: 0, max: 5 }), (start, h, f, year) => {
        const terms = {
          startDate: start,
          leapDay: "feb28" as const,
          installments: installmentsOf(f),
          endDate: null,
        };
        const periods = yearPeriods(terms, year);
        const price = installmentPrice(product, h, f, "sepa_direct_debit");
        const q = quote(product, { household: h, paymentFrequency: f, paymentMethod: "sepa_direct_debit" });
        expect(periods.length * price.amount).toBe(q.annualTotal);
        expect(price.premium + price.surcharge).toBe(price.amount);
        // Contiguous periods that tile the policy year.
        for (let i = 1; i < periods.length; i++) expect(periods[i]!.start).toBe(periods[i - 1]!.end);
        expect(daysBetween(periods[0]!.start, periods.at(-1)!.end)).toBeGreaterThanOrEqual(365);
      }),
    );
  });

  it("bills every period exactly once however the runs are spaced", () => {
    fc.assert(
      fc.property(
        day,
        frequency,
        fc.array(fc.integer({ min: 1, max: 120 }), { minLength: 1, maxLength: 12 }),
        (start, f, gaps) => {
          const terms = {
            startDate: start,
            leapDay: "feb28" as const,
            installments: installmentsOf(f),
            endDate: null,
          };
          let billedThrough: string | null = null;
          let runDate = start;
          const seen: string[] = [];
          for (const g of gaps) {
            runDate = addDays(runDate, g);
            for (const p of periodsDue(terms, billedThrough, runDate)) {
              expect(compareDates(p.start, runDate)).toBeLessThanOrEqual(0);
              seen.push(p.start);
              billedThrough = p.end;
            }
          }
          const all = periodsDue(terms, null, runDate).map((p) => p.start);
          expect(seen).toEqual(all);
        },
      ),
    );
  });

  it("a cancellation credit never exceeds the invoice and follows the pro-rata rule", () => {
    fc.assert(
      fc.property(day, frequency, household, fc.integer({ min: 0, max: 400 }), (start, f, h, offset) => {
        const terms = {
          startDate: start,
          leapDay: "feb28" as const,
          installments: installmentsOf(f),
          endDate: null,
        };
        const period = periodsDue(terms, null, start)[0]!;
        const price = installmentPrice(product, h, f, "sepa_direct_debit");
        const end = addDays(period.start, offset);
        const invoice = {
          start: period.start,
          end: period.end,
          household: h,
          amount: price.amount,
          surcharge: price.surcharge,
        };
        const t = adjustmentTargets(invoice, h, [], end, () => price.amount);
        expect(t.householdChange.amount).toBe(0);
        const credit = 0 - t.cancellation.amount;
        expect(credit).toBeGreaterThanOrEqual(0);
        expect(credit).toBeLessThanOrEqual(price.amount);
        const unused = Math.max(0, daysBetween(end, period.end));
        const periodDays = daysBetween(period.start, period.end);
        expect(credit).toBe(
          Math.floor((price.amount * Math.min(unused, periodDays) * 2 + periodDays) / (2 * periodDays)),
        );
      }),
    );
  });

  it("a household change is re-priced pro rata by days from its effective date", () => {
    const f = "monthly";
    const single = installmentPrice(product, "single", f, "sepa_direct_debit");
    const family = installmentPrice(product, "family", f, "sepa_direct_debit");
    const invoice = {
      start: "2026-03-01",
      end: "2026-04-01",
      household: "single" as const,
      amount: single.amount,
      surcharge: single.surcharge,
    };
    const priceOf = (h: HouseholdType) => (h === "family" ? family.amount : single.amount);
    const t = adjustmentTargets(
      invoice,
      "single",
      [{ effectiveDate: "2026-03-16", household: "family" }],
      null,
      priceOf,
    );
    // 16 of 31 days at the family rate: round_half_up((618 − 412) × 16 / 31) = 106.
    expect(t.householdChange).toEqual({
      amount: Math.round(((family.amount - single.amount) * 16) / 31),
      effective: "2026-03-16",
    });
    expect(t.cancellation.amount).toBe(0);
  });

  it("collects at least the notice period after the invoice unless the schedule was sent earlier", () => {
    expect(collectionDate("2026-03-01", "2026-03-01", null, 14)).toBe("2026-03-15");
    expect(collectionDate("2026-03-20", "2026-03-01", null, 14)).toBe("2026-03-20");
    expect(collectionDate("2026-03-01", "2026-02-20", "2026-01-01", 14)).toBe("2026-03-01");
    expect(collectionDate("2026-03-01", "2026-03-01", "2026-01-01", 14)).toBe("2026-03-02");
    // A notice sent after the invoice doesn't shorten anything.
    expect(collectionDate("2026-03-01", "2026-03-01", "2026-03-05", 14)).toBe("2026-03-15");
  });
});
