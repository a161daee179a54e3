import { quote } from "../products/quote.ts";
import type {
  HouseholdType,
  PaymentFrequency,
  PaymentMethod,
  ProductDefinition,
} from "../products/schema.ts";
import {
  addDays,
  anniversary,
  compareDates,
  daysBetween,
  type IsoDate,
  installmentPeriodOf,
  type LeapDayRule,
  maxDate,
  policyYearOf,
} from "../shared/dates.ts";
import { type Cents, mulDivRoundHalfUp } from "../shared/money.ts";

/** Pure schedule core: which periods are billed, for how much, collected when, corrected how. */

export interface BillingTerms {
  startDate: IsoDate;
  leapDay: LeapDayRule;
  installments: number;
  /** First day without cover (cancelled or terminated), or null. */
  endDate: IsoDate | null;
}

export interface Period {
  start: IsoDate;
  /** First day after the period. */
  end: IsoDate;
  yearStart: IsoDate;
  index: number;
}

export interface InstallmentPrice {
  amount: Cents;
  /** The share of the yearly premium (annual / installments); the rest is the installment surcharge. */
  premium: Cents;
  surcharge: Cents;
}

export function periodContaining(terms: BillingTerms, date: IsoDate): Period {
  const year = policyYearOf(terms.startDate, date, terms.leapDay);
  const p = installmentPeriodOf(year.start, year.end, terms.installments, date);
  return { start: p.start, end: p.end, yearStart: year.start, index: p.index };
}

/**
 * The periods to invoice on `runDate`: every period that starts on or after `billedThrough` (the end
 * of the last invoiced period; the start date when nothing was billed), on or before `runDate`, and
 * before the end of cover. Premium is due in advance, on the period's first day.
 */
export function periodsDue(terms: BillingTerms, billedThrough: IsoDate | null, runDate: IsoDate): Period[] {
  const out: Period[] = [];
  let cursor = billedThrough === null ? terms.startDate : maxDate(billedThrough, terms.startDate);
  while (
    compareDates(cursor, runDate) <= 0 &&
    (terms.endDate === null || compareDates(cursor, terms.endDate) < 0)
  ) {
    const p = periodContaining(terms, cursor);
    out.push(p);
    cursor = p.end;
  }
  return out;
}

/** All installments of one policy year, e.g. for the schedule sent to the policyholder. */
export function yearPeriods(terms: BillingTerms, yearIndex: number): Period[] {
  let cursor = anniversary(terms.startDate, yearIndex, terms.leapDay);
  const out: Period[] = [];
  for (let k = 0; k < terms.installments; k++) {
    const p = periodContaining(terms, cursor);
    out.push(p);
    cursor = p.end;
  }
  return out;
}

export function installmentPrice(
  product: ProductDefinition,
  household: HouseholdType,
  paymentFrequency: PaymentFrequency,
  paymentMethod: PaymentMethod,
): InstallmentPrice {
  const q = quote(product, { household, paymentFrequency, paymentMethod });
  const premium = Math.min(q.installment, mulDivRoundHalfUp(q.annualPremium, 1, q.installments));
  return { amount: q.installment, premium, surcharge: q.installment - premium };
}

/**
 * SEPA pre-notification: the collection lies at least `noticeDays` after the invoice, or after the
 * schedule notice when the policyholder got the schedule before the invoice; never before the due
 * date and never on the day of the run itself (a bank needs the file a day ahead).
 */
export function collectionDate(
  dueDate: IsoDate,
  issuedOn: IsoDate,
  notifiedOn: IsoDate | null,
  noticeDays: number,
): IsoDate {
  const noticeFrom = notifiedOn !== null && compareDates(notifiedOn, issuedOn) <= 0 ? notifiedOn : issuedOn;
  return maxDate(maxDate(dueDate, addDays(noticeFrom, noticeDays)), addDays(issuedOn, 1));
}

export type SequenceType = "FRST" | "RCUR" | "FNAL";

/** FRST on a mandate's first collection, FNAL on the last one before the cover ends, else RCUR. */
export function sequenceType(firstOnMandate: boolean, period: Period, endDate: IsoDate | null): SequenceType {
  if (firstOnMandate) return "FRST";
  if (endDate !== null && compareDates(period.end, endDate) >= 0) return "FNAL";
  return "RCUR";
}

export interface InvoicedPeriod {
  start: IsoDate;
  end: IsoDate;
  household: HouseholdType;
  amount: Cents;
  surcharge: Cents;
}

export interface HouseholdChange {
  effectiveDate: IsoDate;
  household: HouseholdType;
}

export interface AdjustmentTargets {
  /** Signed pro-rata difference for days under another household than invoiced (0 when none). */
  householdChange: { amount: Cents; effective: IsoDate | null };
  /** Non-positive: the unused days after the end of cover, at the invoiced rate. */
  cancellation: { amount: Cents; effective: IsoDate | null };
}

function signedProRata(value: Cents, days: number, periodDays: number): Cents {
  const abs = mulDivRoundHalfUp(Math.abs(value), days, periodDays);
  // `0 - x`, not `-x`: a zero stays +0, so results compare equal to 0 everywhere.
  return value < 0 ? 0 - abs : abs;
}

/**
 * What the corrections of an invoiced period should add up to under the policy's current terms:
 * used days under another household are re-priced pro rata by days; the unused days after the end
 * of cover are credited as round_half_up(invoiced × unused days / days in the period), the
 * cancellation rule of the product. Comparing with the corrections already made gives the delta,
 * so reconciling twice changes nothing.
 */
export function adjustmentTargets(
  invoice: InvoicedPeriod,
  initialHousehold: HouseholdType,
  changes: readonly HouseholdChange[],
  endDate: IsoDate | null,
  priceOf: (household: HouseholdType) => Cents,
): AdjustmentTargets {
  const periodDays = daysBetween(invoice.start, invoice.end);
  const usedEnd =
    endDate !== null && compareDates(endDate, invoice.end) < 0
      ? maxDate(endDate, invoice.start)
      : invoice.end;
  const sorted = [...changes].sort((a, b) => compareDates(a.effectiveDate, b.effectiveDate));
  const householdAt = (date: IsoDate): HouseholdType => {
    let h = initialHousehold;
    for (const c of sorted) if (compareDates(c.effectiveDate, date) <= 0) h = c.household;
    return h;
  };
  const cuts = [invoice.start];
  for (const c of sorted) {
    if (compareDates(c.effectiveDate, invoice.start) > 0 && compareDates(c.effectiveDate, usedEnd) < 0) {
      cuts.push(c.effectiveDate);
    }
  }
  let change = 0;
  let changeFrom: IsoDate | null = null;
  cuts.forEach((from, i) => {
    const to = cuts[i + 1] ?? usedEnd;
    const household = householdAt(from);
    const days = daysBetween(from, to);
    if (household === invoice.household || days <= 0) return;
    change += signedProRata(priceOf(household) - invoice.amount, days, periodDays);
    changeFrom ??= from;
  });
  const unused = daysBetween(usedEnd, invoice.end);
  return {
    householdChange: { amount: change, effective: changeFrom },
    cancellation: {
      amount: unused > 0 ? 0 - mulDivRoundHalfUp(invoice.amount, unused, periodDays) : 0,
      effective: unused > 0 ? usedEnd : null,
    },
  };
}

/** Splits a signed correction into premium and surcharge in the invoice's proportion. */
export function splitSurcharge(amount: Cents, invoice: InvoicedPeriod): { premium: Cents; surcharge: Cents } {
  if (invoice.amount <= 0 || invoice.surcharge === 0) return { premium: amount, surcharge: 0 };
  const s = mulDivRoundHalfUp(Math.abs(amount), invoice.surcharge, invoice.amount);
  const surcharge = amount < 0 ? 0 - s : s;
  return { premium: amount - surcharge, surcharge };
}
