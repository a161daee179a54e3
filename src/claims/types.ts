import type { DateRange, IsoDate } from "../shared/dates.ts";
import type { Cents } from "../shared/money.ts";
import type { ExplanationStep } from "./steps.ts";

export type Facts = Readonly<Record<string, unknown>>;

export interface LossLine {
  kind: string;
  amount: Cents;
  /** A ransom line's payment date: judged by the insurer's consents (service-rules.md). */
  paidOn?: IsoDate | null;
}

/** A ransom consent given on a helpline case of the policy, as the decision reads it. */
export interface RansomConsentFact {
  givenAt: Date;
  /** The consent's day in the product's time zone. */
  givenOn: IsoDate;
  /** Its time of day there, "HH:MM", for the explanation. */
  givenTime: string;
  givenBy: string;
  max: Cents;
}

export interface ClaimInput {
  peril: string;
  incidentDate: IsoDate;
  losses: readonly LossLine[];
  facts: Facts;
}

export type Outcome = "approved" | "denied" | "needs_information";

export interface DecidedLine {
  lineNo: number;
  kind: string;
  amount: Cents;
  accepted: boolean;
  reason: string | null;
  /** Set when only part of the line is accepted (a ransom above its consent's maximum). */
  acceptedAmount?: Cents;
}

export interface Decision {
  outcome: Outcome;
  payout: Cents;
  reasons: string[];
  missing: string[];
  section: string | null;
  policyYear: DateRange | null;
  household: string | null;
  lines: DecidedLine[];
  explanation: ExplanationStep[];
}
