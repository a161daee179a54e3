import type { ColumnType, Generated } from "kysely";

/** Table types of the payments module (migration 20261122_0006_collections.sql). */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DateCol = string;

export type PayoutStatus = "pending" | "exported" | "executed" | "rejected";

export interface PayoutAccountsTable {
  policy_id: string;
  account_holder: string;
  iban: string;
  bic: string | null;
  created_at: Timestamp;
}

export interface PayoutsTable {
  id: Generated<number>;
  policy_id: string;
  kind: "claim" | "refund";
  claim_id: string | null;
  /** The claim decision (sequence) whose approved amount this row pays, or part of it. */
  claim_decision: number | null;
  adjustment_id: number | null;
  amount_cents: number;
  end_to_end_id: string;
  accrued_on: DateCol;
  status: Generated<PayoutStatus>;
  payee_name: string | null;
  iban: string | null;
  bic: string | null;
  batch_id: number | null;
  executed_on: DateCol | null;
  reject_reason: string | null;
  created_at: Timestamp;
}

export interface PaymentsTables {
  payout_accounts: PayoutAccountsTable;
  payouts: PayoutsTable;
}
