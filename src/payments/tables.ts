import type { ColumnType, Generated } from "kysely";
import type { PayoutKind, PayoutStatus } from "./model.ts";

/** Table types of the payments module (migration 20261122_0006_collections.sql). */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DateCol = string;

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
  kind: PayoutKind;
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
  overpayment_id: number | null;
  /** Which bank file this is (1 = the first); earlier ones are in payout_attempts. */
  attempt: Generated<number>;
  failed_at: Timestamp | null;
}

/** A bank file a payout went out in and that failed (migration 20261122_0007). */
export interface PayoutAttemptsTable {
  payout_id: number;
  attempt: number;
  end_to_end_id: string;
  batch_id: number | null;
  amount_cents: number;
  outcome: "rejected" | "returned";
  reason: string;
  failed_on: DateCol;
  created_at: Timestamp;
}

/** Money received that was not owed, to be paid back to the payer (migration 20261122_0007). */
export interface OverpaymentsTable {
  id: Generated<number>;
  policy_id: string;
  reference: string;
  amount_cents: number;
  payer_name: string | null;
  payer_iban: string | null;
  received_on: DateCol;
  bank_import_id: number | null;
  source: string;
  created_at: Timestamp;
}

export interface PaymentsTables {
  payout_accounts: PayoutAccountsTable;
  payouts: PayoutsTable;
  payout_attempts: PayoutAttemptsTable;
  overpayments: OverpaymentsTable;
}
