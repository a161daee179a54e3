import type { ColumnType, Generated } from "kysely";
import type { Json } from "../db/schema.ts";
import type { HouseholdType, PaymentMethod } from "../products/index.ts";

/** Table types of the billing module (migrations 20261122_0004_billing.sql and 0008). */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DateCol = string;

export type InvoiceStatus = "open" | "paid" | "returned" | "cancelled";
export type AdjustmentKind = "charge" | "credit_note" | "refund";
export type AdjustmentReason = "household_change" | "cancellation";

export interface BillingRunsTable {
  id: Generated<number>;
  run_date: DateCol;
  chunk_size: number;
  chunks: number | null;
  started_at: Timestamp;
  planned_at: Timestamp | null;
  finished_at: Timestamp | null;
  /** When the invocation holding the run's lock started (migration 20261204_0010). */
  invoked_at: Timestamp | null;
}

export interface BillingRunChunksTable {
  run_id: number;
  chunk_no: number;
  lo: string | null;
  hi: string | null;
  done_at: Timestamp | null;
  invoices: number | null;
  amount_cents: number | null;
  without_mandate: number | null;
  debits: number | null;
  debit_cents: number | null;
  first_period: DateCol | null;
}

export interface PaymentBatchesTable {
  id: Generated<number>;
  kind: "direct_debit" | "credit_transfer";
  run_id: number | null;
  collection_date: DateCol;
  message_id: string;
  status: Generated<"open" | "written" | "submitted" | "settled">;
  file_name: string | null;
  transactions: number | null;
  total_cents: number | null;
  created_at: Timestamp;
  written_at: Timestamp | null;
  first_period: Generated<DateCol | null>;
}

export interface BillingScheduleNoticesTable {
  policy_id: string;
  year_start: DateCol;
  notified_on: DateCol;
  installments: Json<unknown[]>;
  created_at: Timestamp;
}

export interface InvoicesTable {
  policy_id: string;
  period_start: DateCol;
  period_end: DateCol;
  reference: string;
  run_id: number | null;
  issued_on: DateCol;
  due_date: DateCol;
  household: HouseholdType;
  payment_method: PaymentMethod;
  premium_cents: number;
  surcharge_cents: number;
  amount_cents: number;
  collection_date: DateCol | null;
  mandate_id: string | null;
  sequence_type: "FRST" | "RCUR" | "OOFF" | "FNAL" | null;
  batch_id: number | null;
  status: Generated<InvoiceStatus>;
  paid_cents: Generated<number>;
  settled_on: DateCol | null;
  returned_on: DateCol | null;
  return_reason: string | null;
  created_at: Timestamp;
}

export interface BillingAdjustmentsTable {
  id: Generated<number>;
  policy_id: string;
  period_start: DateCol;
  kind: AdjustmentKind;
  reason: AdjustmentReason;
  effective_date: DateCol;
  premium_cents: number;
  surcharge_cents: number;
  amount_cents: number;
  created_on: DateCol;
  refund_batch_id: number | null;
  refunded_on: DateCol | null;
  created_at: Timestamp;
}

/** A debit a run could not write into its pain.008, for finance (migration 20261204_0010). */
export interface BillingSetAsideTable {
  id: Generated<number>;
  run_id: number;
  policy_id: string;
  period_start: DateCol;
  reference: string;
  amount_cents: number;
  mandate_id: string | null;
  batch_id: number | null;
  reason: string;
  set_aside_on: DateCol;
  created_at: Timestamp;
  resolved_at: Timestamp | null;
}

export interface BillingTables {
  billing_set_aside: BillingSetAsideTable;
  billing_runs: BillingRunsTable;
  billing_run_chunks: BillingRunChunksTable;
  payment_batches: PaymentBatchesTable;
  billing_schedule_notices: BillingScheduleNoticesTable;
  invoices: InvoicesTable;
  billing_adjustments: BillingAdjustmentsTable;
}
