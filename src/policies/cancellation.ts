import {
  compareDates,
  daysBetween,
  type IsoDate,
  installmentPeriodOf,
  type LeapDayRule,
  maxDate,
  policyYearOf,
} from "../shared/dates.ts";
import { type Cents, mulDivRoundHalfUp } from "../shared/money.ts";

export interface CancellationInput {
  startDate: IsoDate;
  leapDay: LeapDayRule;
  installments: number;
  /** The day the insurer received the request. */
  requestedOn: IsoDate;
  /** The date the policyholder asked the policy to end. */
  requestedEffective: IsoDate;
  notBeforeRequest: boolean;
}

export interface CancellationTerms {
  /** First day without cover. */
  effective: IsoDate;
  /** The installment period that contains the effective date. */
  period: { start: IsoDate; end: IsoDate };
  unusedDays: number;
  periodDays: number;
}

/** The effective date (never before the request, never before the start) and the period it falls in. */
export function cancellationTerms(input: CancellationInput): CancellationTerms {
  let effective = input.requestedEffective;
  if (input.notBeforeRequest) effective = maxDate(effective, input.requestedOn);
  effective = maxDate(effective, input.startDate);
  const year = policyYearOf(input.startDate, effective, input.leapDay);
  const period = installmentPeriodOf(year.start, year.end, input.installments, effective);
  return {
    effective,
    period: { start: period.start, end: period.end },
    unusedDays: daysBetween(effective, period.end),
    periodDays: daysBetween(period.start, period.end),
  };
}

/** round_half_up(paid for the current installment period × unused days / days in that period). */
export function proRataRefund(paidForPeriod: Cents, terms: CancellationTerms): Cents {
  if (paidForPeriod <= 0 || compareDates(terms.effective, terms.period.end) >= 0) return 0;
  return mulDivRoundHalfUp(paidForPeriod, terms.unusedDays, terms.periodDays);
}
