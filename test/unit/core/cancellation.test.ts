import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type CancellationInput,
  cancellationTerms,
  proRataRefund,
} from "../../../src/policies/cancellation.ts";
import { addDays, compareDates, daysBetween, maxDate } from "../../../src/shared/dates.ts";
import { cents, installmentCount, leapDayRule, policyStart } from "../../support/arbitraries.ts";

function input(overrides: Partial<CancellationInput>): CancellationInput {
  return {
    startDate: "2026-01-01",
    leapDay: "feb28",
    installments: 1,
    requestedOn: "2026-07-02",
    requestedEffective: "2026-07-02",
    notBeforeRequest: true,
    ...overrides,
  };
}

describe("cancellationTerms and proRataRefund", () => {
  it("worked example: family annual 72.00, asked on 2026-07-02 to end on 2026-06-01", () => {
    const terms = cancellationTerms(input({ requestedOn: "2026-07-02", requestedEffective: "2026-06-01" }));
    expect(terms).toEqual({
      effective: "2026-07-02",
      period: { start: "2026-01-01", end: "2027-01-01" },
      unusedDays: 183,
      periodDays: 365,
    });
    expect(proRataRefund(7200, terms)).toBe(3610);
  });

  it("takes a later requested date as it is", () => {
    const terms = cancellationTerms(input({ requestedOn: "2026-07-02", requestedEffective: "2026-10-01" }));
    expect(terms.effective).toBe("2026-10-01");
    expect(terms.unusedDays).toBe(92);
    expect(proRataRefund(7200, terms)).toBe(1815); // 7200 × 92 / 365 = 1814.79
  });

  it("lets a past date stand when the product allows it", () => {
    const terms = cancellationTerms(
      input({ requestedOn: "2026-07-02", requestedEffective: "2026-06-01", notBeforeRequest: false }),
    );
    expect(terms.effective).toBe("2026-06-01");
  });

  it("never takes effect before the start: a full refund", () => {
    const terms = cancellationTerms(
      input({ startDate: "2026-09-01", requestedOn: "2026-08-01", requestedEffective: "2026-08-15" }),
    );
    expect(terms.effective).toBe("2026-09-01");
    expect(terms.unusedDays).toBe(terms.periodDays);
    expect(proRataRefund(7200, terms)).toBe(7200);
  });

  it("refunds the unused days of the current month for monthly payers", () => {
    const terms = cancellationTerms(
      input({ installments: 12, requestedOn: "2026-03-10", requestedEffective: "2026-03-11" }),
    );
    expect(terms).toEqual({
      effective: "2026-03-11",
      period: { start: "2026-03-01", end: "2026-04-01" },
      unusedDays: 21,
      periodDays: 31,
    });
    expect(proRataRefund(618, terms)).toBe(419); // 618 × 21 / 31 = 418.65
  });

  it("refunds the unused days of the current quarter for quarterly payers", () => {
    const terms = cancellationTerms(
      input({ installments: 4, requestedOn: "2026-05-01", requestedEffective: "2026-05-16" }),
    );
    expect(terms.period).toEqual({ start: "2026-04-01", end: "2026-07-01" });
    expect(terms.unusedDays).toBe(46);
    expect(terms.periodDays).toBe(91);
    expect(proRataRefund(1890, terms)).toBe(955); // 1890 × 46 / 91 = 955.38
  });

  it("uses policy-year periods, not calendar ones, for a mid-year start", () => {
    const terms = cancellationTerms(
      input({
        startDate: "2026-01-31",
        installments: 12,
        requestedOn: "2026-03-01",
        requestedEffective: "2026-03-01",
      }),
    );
    expect(terms.period).toEqual({ start: "2026-02-28", end: "2026-03-31" });
    expect(terms.unusedDays).toBe(30);
    expect(terms.periodDays).toBe(31);
  });

  it("refunds nothing when nothing was paid", () => {
    expect(proRataRefund(0, cancellationTerms(input({})))).toBe(0);
  });

  it("never takes effect before the request nor the start; refund ≤ paid; full refund at a period start (property)", () => {
    fc.assert(
      fc.property(
        policyStart(),
        leapDayRule,
        installmentCount,
        fc.integer({ min: -100, max: 2_000 }),
        fc.integer({ min: -400, max: 400 }),
        fc.boolean(),
        cents(1_000_000),
        (startDate, leapDay, installments, requestOffset, effectiveOffset, notBeforeRequest, paid) => {
          const requestedOn = addDays(startDate, requestOffset);
          const requestedEffective = addDays(requestedOn, effectiveOffset);
          const terms = cancellationTerms({
            startDate,
            leapDay,
            installments,
            requestedOn,
            requestedEffective,
            notBeforeRequest,
          });
          let floor = maxDate(requestedEffective, startDate);
          if (notBeforeRequest) floor = maxDate(floor, requestedOn);
          expect(terms.effective).toBe(floor);
          expect(compareDates(terms.effective, startDate)).toBeGreaterThanOrEqual(0);
          if (notBeforeRequest) expect(compareDates(terms.effective, requestedOn)).toBeGreaterThanOrEqual(0);
          expect(compareDates(terms.period.start, terms.effective)).toBeLessThanOrEqual(0);
          expect(compareDates(terms.effective, terms.period.end)).toBeLessThan(0);
          expect(terms.unusedDays).toBe(daysBetween(terms.effective, terms.period.end));
          expect(terms.unusedDays).toBeGreaterThan(0);
          expect(terms.unusedDays).toBeLessThanOrEqual(terms.periodDays);
          const refund = proRataRefund(paid, terms);
          expect(refund).toBeGreaterThanOrEqual(0);
          expect(refund).toBeLessThanOrEqual(paid);
          if (terms.effective === terms.period.start) expect(refund).toBe(paid);
          // Cancelling at the start of the period that this one contains must refund all of it.
          const atStart = cancellationTerms({
            startDate,
            leapDay,
            installments,
            requestedOn: terms.period.start,
            requestedEffective: terms.period.start,
            notBeforeRequest,
          });
          expect(atStart.period).toEqual(terms.period);
          expect(proRataRefund(paid, atStart)).toBe(paid);
        },
      ),
    );
  });

  it("refunds nothing of nothing paid, nor of a period already over", () => {
    const terms = cancellationTerms(input({ requestedOn: "2026-07-02", requestedEffective: "2026-10-01" }));
    expect(proRataRefund(0, terms)).toBe(0);
    expect(proRataRefund(-100, terms)).toBe(0);
    const over = { ...terms, effective: "2027-01-05", unusedDays: -4 };
    expect(proRataRefund(7200, over)).toBe(0);
    expect(proRataRefund(7200, { ...terms, effective: "2027-01-01", unusedDays: 0 })).toBe(0);
  });
});
