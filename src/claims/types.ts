import type { DateRange, IsoDate } from "../shared/dates.ts";
import type { Cents } from "../shared/money.ts";

export type Facts = Readonly<Record<string, unknown>>;

export interface LossLine {
  kind: string;
  amount: Cents;
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
}

/** One explained step of a decision, in Dutch and English. */
export interface ExplanationLine {
  step: number;
  code: string;
  nl: string;
  en: string;
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
  explanation: ExplanationLine[];
}
