import { Temporal } from "@js-temporal/polyfill";
import { ValidationError } from "./errors.ts";

/** Calendar dates are ISO strings ("2026-03-01") everywhere outside this module. */
export type IsoDate = string;
export type PlainDate = Temporal.PlainDate;

const ISO = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The dates the platform accepts from outside. PostgreSQL has no year 0000, and a date near 9999
 * plus a policy year or an installment leaves the four-digit YYYY form, so input stays well inside.
 */
export const DATE_RANGE = { min: "1900-01-01", max: "2999-12-31" } as const;

/** For an ISO calendar date: within DATE_RANGE (YYYY-MM-DD strings compare as dates). */
export function isSupportedDate(date: IsoDate): boolean {
  return date >= DATE_RANGE.min && date <= DATE_RANGE.max;
}

export function parseDate(value: string, field = "date"): IsoDate {
  if (!ISO.test(value)) {
    throw new ValidationError([{ path: field, message: `must be a date YYYY-MM-DD (got "${value}")` }]);
  }
  let date: IsoDate;
  try {
    date = Temporal.PlainDate.from(value, { overflow: "reject" }).toString();
  } catch {
    throw new ValidationError([{ path: field, message: `is not a calendar date (got "${value}")` }]);
  }
  if (!isSupportedDate(date)) {
    throw new ValidationError([
      { path: field, message: `must lie between ${DATE_RANGE.min} and ${DATE_RANGE.max} (got "${value}")` },
    ]);
  }
  return date;
}

export function toPlain(date: IsoDate): PlainDate {
  return Temporal.PlainDate.from(date);
}

export function compareDates(a: IsoDate, b: IsoDate): number {
  return Temporal.PlainDate.compare(toPlain(a), toPlain(b));
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return toPlain(date).add({ days }).toString();
}

export function addMonths(date: IsoDate, months: number): IsoDate {
  return toPlain(date).add({ months }).toString();
}

/** Whole days from a to b (b − a); positive when b is later. */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return toPlain(a).until(toPlain(b), { largestUnit: "days" }).days;
}

export function maxDate(a: IsoDate, b: IsoDate): IsoDate {
  return compareDates(a, b) >= 0 ? a : b;
}

export function minDate(a: IsoDate, b: IsoDate): IsoDate {
  return compareDates(a, b) <= 0 ? a : b;
}

/** How a start date of 29 February has its anniversary in a year without one. */
export type LeapDayRule = "feb28" | "mar1";

/** The n-th anniversary of a start date, counted from the start (never chained, so 31 Jan stays 31). */
export function anniversary(start: IsoDate, years: number, leapDay: LeapDayRule): IsoDate {
  const s = toPlain(start);
  const target = s.add({ years });
  if (s.month === 2 && s.day === 29 && target.day !== 29 && leapDay === "mar1") {
    return target.add({ days: 1 }).toString();
  }
  return target.toString();
}

export interface DateRange {
  /** First day, inclusive. */
  start: IsoDate;
  /** First day after the range (exclusive). */
  end: IsoDate;
}

/** The policy year (from the start date or an anniversary) that contains `date`; date must be ≥ start. */
export function policyYearOf(
  start: IsoDate,
  date: IsoDate,
  leapDay: LeapDayRule,
): DateRange & { index: number } {
  if (compareDates(date, start) < 0) throw new RangeError(`${date} lies before the policy start ${start}`);
  let index = Math.max(0, toPlain(date).year - toPlain(start).year - 1);
  while (compareDates(anniversary(start, index + 1, leapDay), date) <= 0) index++;
  return { index, start: anniversary(start, index, leapDay), end: anniversary(start, index + 1, leapDay) };
}

/**
 * Installment periods of a policy year: period k of n starts 12k/n months after the year's start,
 * each computed from the year's start so month-end dates don't drift.
 */
export function installmentPeriodOf(
  yearStart: IsoDate,
  yearEnd: IsoDate,
  installments: number,
  date: IsoDate,
) {
  const months = 12 / installments;
  for (let k = 0; k < installments; k++) {
    const start = addMonths(yearStart, k * months);
    const end = k === installments - 1 ? yearEnd : addMonths(yearStart, (k + 1) * months);
    if (compareDates(date, start) >= 0 && compareDates(date, end) < 0) return { index: k, start, end };
  }
  throw new RangeError(`${date} lies outside the policy year ${yearStart}..${yearEnd}`);
}

export function inRange(date: IsoDate, range: DateRange): boolean {
  return compareDates(date, range.start) >= 0 && compareDates(date, range.end) < 0;
}

/** The calendar date an instant falls on in a time zone (the product's), e.g. for booking dates. */
export function dateIn(instant: Date, timeZone: string): IsoDate {
  return Temporal.Instant.fromEpochMilliseconds(instant.getTime())
    .toZonedDateTimeISO(timeZone)
    .toPlainDate()
    .toString();
}
