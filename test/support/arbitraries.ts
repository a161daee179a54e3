import fc from "fast-check";
import { addDays, type IsoDate } from "../../src/shared/dates.ts";
import type { Cents } from "../../src/shared/money.ts";

/** A calendar date between 2000-01-01 and about 2099 (inclusive of leap days and month ends). */
export function isoDate(from: IsoDate = "2000-01-01", maxDays = 36_500): fc.Arbitrary<IsoDate> {
  return fc.integer({ min: 0, max: maxDays }).map((d) => addDays(from, d));
}

/** Start dates that exercise the calendar edge cases: month ends, 29 February, plus random days. */
export function policyStart(): fc.Arbitrary<IsoDate> {
  return fc.oneof(
    fc.constantFrom(
      "2024-02-29",
      "2028-02-29",
      "2026-01-31",
      "2026-03-31",
      "2026-08-31",
      "2026-12-31",
      "2026-01-01",
    ),
    isoDate("2020-01-01", 3_650),
  );
}

/** Non-negative cents up to one million euros. */
export function cents(max: Cents = 100_000_000): fc.Arbitrary<Cents> {
  return fc.integer({ min: 0, max });
}

export const leapDayRule = fc.constantFrom("feb28" as const, "mar1" as const);
export const installmentCount = fc.constantFrom(1, 2, 4, 12);
