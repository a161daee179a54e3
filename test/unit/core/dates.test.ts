import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addDays,
  anniversary,
  compareDates,
  daysBetween,
  installmentPeriodOf,
  type LeapDayRule,
  parseDate,
  policyYearOf,
} from "../../../src/shared/dates.ts";
import { ValidationError } from "../../../src/shared/errors.ts";
import { installmentCount, isoDate, leapDayRule, policyStart } from "../../support/arbitraries.ts";

describe("parseDate", () => {
  it.each(["2026-01-01", "2024-02-29", "2026-12-31", "2000-02-29"])("accepts %s", (d) => {
    expect(parseDate(d)).toBe(d);
  });

  it.each([
    "2026-02-30",
    "2026-02-29",
    "1900-02-29",
    "2026-04-31",
    "2026-13-01",
    "2026-00-10",
    "2026-01-00",
    "2026-01-32",
    "2026-1-01",
    "26-01-01",
    "2026/01/01",
    "2026-01-01T00:00",
    "",
    "tomorrow",
  ])("rejects %j with the field name", (d) => {
    let error: unknown;
    try {
      parseDate(d, "incidentDate");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const v = error as ValidationError;
    expect(v.code).toBe("validation_failed");
    expect(v.issues[0]?.path).toBe("incidentDate");
    expect(v.message).toContain("incidentDate");
  });
});

describe("anniversary", () => {
  it("counts from the start so 31 January is not chained through February", () => {
    expect(anniversary("2026-01-31", 1, "feb28")).toBe("2027-01-31");
    expect(anniversary("2026-01-31", 3, "mar1")).toBe("2029-01-31");
  });

  it("moves a 29 February anniversary to 28 February or 1 March by the rule", () => {
    expect(anniversary("2024-02-29", 1, "feb28")).toBe("2025-02-28");
    expect(anniversary("2024-02-29", 1, "mar1")).toBe("2025-03-01");
    expect(anniversary("2024-02-29", 4, "feb28")).toBe("2028-02-29");
    expect(anniversary("2024-02-29", 4, "mar1")).toBe("2028-02-29");
    expect(anniversary("2024-02-28", 1, "mar1")).toBe("2025-02-28");
  });
});

describe("policyYearOf", () => {
  it("finds the policy year of an ordinary start", () => {
    expect(policyYearOf("2026-04-15", "2026-04-15", "feb28")).toEqual({
      index: 0,
      start: "2026-04-15",
      end: "2027-04-15",
    });
    expect(policyYearOf("2026-04-15", "2027-04-14", "feb28")).toEqual({
      index: 0,
      start: "2026-04-15",
      end: "2027-04-15",
    });
    expect(policyYearOf("2026-04-15", "2027-04-15", "feb28")).toEqual({
      index: 1,
      start: "2027-04-15",
      end: "2028-04-15",
    });
    expect(policyYearOf("2026-04-15", "2036-01-01", "feb28")).toEqual({
      index: 9,
      start: "2035-04-15",
      end: "2036-04-15",
    });
  });

  it("keeps a 31 January start on the 31st every year", () => {
    expect(policyYearOf("2026-01-31", "2027-01-30", "feb28")).toMatchObject({ index: 0, end: "2027-01-31" });
    expect(policyYearOf("2026-01-31", "2027-01-31", "feb28")).toMatchObject({
      index: 1,
      start: "2027-01-31",
    });
    expect(policyYearOf("2026-12-31", "2027-12-31", "mar1")).toMatchObject({ index: 1, start: "2027-12-31" });
  });

  it("refuses a date before the start", () => {
    expect(() => policyYearOf("2026-04-15", "2026-04-14", "feb28")).toThrow(RangeError);
  });

  const leapCases: [LeapDayRule, string, { index: number; start: string; end: string }][] = [
    ["feb28", "2024-02-29", { index: 0, start: "2024-02-29", end: "2025-02-28" }],
    ["feb28", "2025-02-27", { index: 0, start: "2024-02-29", end: "2025-02-28" }],
    ["feb28", "2025-02-28", { index: 1, start: "2025-02-28", end: "2026-02-28" }],
    ["feb28", "2025-03-01", { index: 1, start: "2025-02-28", end: "2026-02-28" }],
    ["feb28", "2028-02-28", { index: 3, start: "2027-02-28", end: "2028-02-29" }],
    ["feb28", "2028-02-29", { index: 4, start: "2028-02-29", end: "2029-02-28" }],
    ["mar1", "2025-02-28", { index: 0, start: "2024-02-29", end: "2025-03-01" }],
    ["mar1", "2025-03-01", { index: 1, start: "2025-03-01", end: "2026-03-01" }],
    ["mar1", "2028-02-28", { index: 3, start: "2027-03-01", end: "2028-02-29" }],
    ["mar1", "2028-02-29", { index: 4, start: "2028-02-29", end: "2029-03-01" }],
  ];
  it.each(leapCases)("29 February start, rule %s: %s lies in %o", (rule, date, expected) => {
    expect(policyYearOf("2024-02-29", date, rule)).toEqual(expected);
  });

  it("puts every date ≥ start in exactly one policy year, contiguous with its neighbours (property)", () => {
    fc.assert(
      fc.property(policyStart(), fc.integer({ min: 0, max: 4_000 }), leapDayRule, (start, offset, rule) => {
        const date = addDays(start, offset);
        const year = policyYearOf(start, date, rule);
        expect(compareDates(year.start, date)).toBeLessThanOrEqual(0);
        expect(compareDates(date, year.end)).toBeLessThan(0);
        expect(year.start).toBe(anniversary(start, year.index, rule));
        expect(year.end).toBe(anniversary(start, year.index + 1, rule));
        const length = daysBetween(year.start, year.end);
        expect(length).toBeGreaterThanOrEqual(365);
        expect(length).toBeLessThanOrEqual(366);
        // Contiguous: the last day of a year belongs to it, the next day to the following year.
        expect(policyYearOf(start, addDays(year.end, -1), rule)).toEqual(year);
        const next = policyYearOf(start, year.end, rule);
        expect(next.index).toBe(year.index + 1);
        expect(next.start).toBe(year.end);
        if (year.index > 0) {
          const previous = policyYearOf(start, addDays(year.start, -1), rule);
          expect(previous.index).toBe(year.index - 1);
          expect(previous.end).toBe(year.start);
        }
      }),
    );
  });

  it("walks day by day through years with no gap or overlap", () => {
    for (const start of ["2024-02-29", "2026-01-31", "2026-12-31"]) {
      for (const rule of ["feb28", "mar1"] as const) {
        let expectedIndex = 0;
        let current = policyYearOf(start, start, rule);
        for (let d = 0; d < 365 * 6; d++) {
          const date = addDays(start, d);
          const year = policyYearOf(start, date, rule);
          if (year.index !== current.index) {
            expectedIndex++;
            expect(year.start).toBe(current.end);
            expect(year.start).toBe(date);
            current = year;
          }
          expect(year.index).toBe(expectedIndex);
        }
        expect(expectedIndex).toBeGreaterThanOrEqual(5);
      }
    }
  });
});

describe("installmentPeriodOf", () => {
  it("splits a calendar year into months", () => {
    expect(installmentPeriodOf("2026-01-01", "2027-01-01", 12, "2026-02-15")).toEqual({
      index: 1,
      start: "2026-02-01",
      end: "2026-03-01",
    });
    expect(installmentPeriodOf("2026-01-01", "2027-01-01", 4, "2026-06-30")).toEqual({
      index: 1,
      start: "2026-04-01",
      end: "2026-07-01",
    });
    expect(installmentPeriodOf("2026-01-01", "2027-01-01", 2, "2026-07-01")).toEqual({
      index: 1,
      start: "2026-07-01",
      end: "2027-01-01",
    });
    expect(installmentPeriodOf("2026-01-01", "2027-01-01", 1, "2026-12-31")).toEqual({
      index: 0,
      start: "2026-01-01",
      end: "2027-01-01",
    });
  });

  it("does not let month-end periods drift (31 January start)", () => {
    expect(installmentPeriodOf("2026-01-31", "2027-01-31", 12, "2026-02-28")).toMatchObject({
      index: 1,
      start: "2026-02-28",
      end: "2026-03-31",
    });
    expect(installmentPeriodOf("2026-01-31", "2027-01-31", 12, "2026-04-30")).toMatchObject({
      index: 3,
      start: "2026-04-30",
      end: "2026-05-31",
    });
  });

  it("refuses a date outside the year", () => {
    expect(() => installmentPeriodOf("2026-01-01", "2027-01-01", 12, "2027-01-01")).toThrow(RangeError);
    expect(() => installmentPeriodOf("2026-01-01", "2027-01-01", 4, "2025-12-31")).toThrow(RangeError);
  });

  it("partitions every policy year into n contiguous periods for 1, 2, 4, 12 installments (property)", () => {
    fc.assert(
      fc.property(
        policyStart(),
        fc.integer({ min: 0, max: 3_000 }),
        leapDayRule,
        installmentCount,
        (start, offset, rule, n) => {
          const year = policyYearOf(start, addDays(start, offset), rule);
          const periods = Array.from({ length: n }, (_, k) =>
            installmentPeriodOf(year.start, year.end, n, k === 0 ? year.start : addDays(year.end, -1)),
          );
          // Walk the period chain from the year's start to its end.
          let cursor = year.start;
          for (let k = 0; k < n; k++) {
            const p = installmentPeriodOf(year.start, year.end, n, cursor);
            expect(p.index).toBe(k);
            expect(p.start).toBe(cursor);
            expect(compareDates(p.start, p.end)).toBeLessThan(0);
            // The last day of the period is still in it.
            expect(installmentPeriodOf(year.start, year.end, n, addDays(p.end, -1))).toEqual(p);
            cursor = p.end;
          }
          expect(cursor).toBe(year.end);
          expect(periods[0]?.index).toBe(0);
          expect(periods[n - 1]?.index).toBe(n - 1);
        },
      ),
    );
  });

  it("places a random date in the period that contains it (property)", () => {
    fc.assert(
      fc.property(
        isoDate("2020-01-01", 3_650),
        fc.integer({ min: 0, max: 400 }),
        installmentCount,
        leapDayRule,
        (start, offset, n, rule) => {
          const date = addDays(start, offset);
          const year = policyYearOf(start, date, rule);
          const p = installmentPeriodOf(year.start, year.end, n, date);
          expect(compareDates(p.start, date)).toBeLessThanOrEqual(0);
          expect(compareDates(date, p.end)).toBeLessThan(0);
          const days = daysBetween(p.start, p.end);
          const nominal = 365 / n;
          expect(days).toBeGreaterThanOrEqual(Math.floor(nominal) - 3);
          expect(days).toBeLessThanOrEqual(Math.ceil(nominal) + 3);
        },
      ),
    );
  });
});
