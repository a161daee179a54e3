import type { HouseholdType } from "../products/index.ts";
import { compareDates, type DateRange, type IsoDate } from "../shared/dates.ts";

/** What the decision core needs to know of a policy, as plain data loaded by the service. */
export interface PolicyTerms {
  startDate: IsoDate;
  /** The household the policy was bound with. */
  household: HouseholdType;
  /** Household endorsements, each from its effective date on. */
  endorsements: readonly { effectiveDate: IsoDate; household: HouseholdType }[];
  /** First day without cover after a cancellation or termination; null while the policy runs. */
  endDate: IsoDate | null;
  endReason: "cancelled" | "terminated" | null;
  /** Periods without cover for unpaid premium; `until` is the last suspended day, null while ongoing. */
  suspensions: readonly Suspension[];
}

export interface Suspension {
  from: IsoDate;
  until: IsoDate | null;
}

/** The household type in force on a date: the latest endorsement effective on or before it. */
export function householdOn(terms: PolicyTerms, date: IsoDate): HouseholdType {
  let current = terms.household;
  let currentFrom: IsoDate | null = null;
  for (const e of terms.endorsements) {
    if (
      compareDates(e.effectiveDate, date) <= 0 &&
      (currentFrom === null || compareDates(e.effectiveDate, currentFrom) >= 0)
    ) {
      current = e.household;
      currentFrom = e.effectiveDate;
    }
  }
  return current;
}

export type CoverStatus =
  | { status: "in_force" }
  | { status: "not_in_force"; why: "before_start" | "ended" }
  | { status: "suspended"; suspension: Suspension };

export function coverOn(terms: PolicyTerms, date: IsoDate): CoverStatus {
  if (compareDates(date, terms.startDate) < 0) return { status: "not_in_force", why: "before_start" };
  if (terms.endDate !== null && compareDates(date, terms.endDate) >= 0)
    return { status: "not_in_force", why: "ended" };
  const suspension = terms.suspensions.find(
    (s) => compareDates(date, s.from) >= 0 && (s.until === null || compareDates(date, s.until) <= 0),
  );
  return suspension ? { status: "suspended", suspension } : { status: "in_force" };
}

export type { DateRange };
