import type { DateRange, IsoDate } from "../shared/dates.ts";
import type { Cents } from "../shared/money.ts";
import type { ExplanationStep } from "./steps.ts";

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
