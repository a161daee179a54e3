import type { ColumnType, Generated } from "kysely";
import type { Json } from "../db/schema.ts";

/** Table types of bank imports and premium-default letters (migration 20261122_0006_collections.sql). */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DateCol = string;

export interface BankImportsTable {
  id: Generated<number>;
  sha256: string;
  file_type: string;
  message_id: string;
  file_name: string | null;
  imported_at: Timestamp;
  summary: Json<unknown>;
}

export interface PremiumLettersTable {
  id: Generated<string>;
  policy_id: string;
  reminder_id: string | null;
  /** The charge a pre-notification or payment request is about (migration 20261122_0007). */
  adjustment_id: number | null;
  /** The set-aside debit a payment request is about (migration 20261204_0010). */
  set_aside_id: number | null;
  kind: "reminder" | "formal_notice" | "payment_request" | "pre_notification";
  language: string;
  recipient: string;
  subject: string;
  body: string;
  letter_date: DateCol;
  suspension_from: DateCol | null;
  created_at: Timestamp;
  sent_at: Timestamp | null;
}

/** A charge taken up for collection on its own (migration 20261122_0007_collections_edge_cases.sql). */
export interface ChargeCollectionsTable {
  adjustment_id: number;
  policy_id: string;
  reference: string;
  method: "direct_debit" | "transfer";
  amount_cents: number;
  mandate_id: string | null;
  sequence_type: "FRST" | "RCUR" | null;
  due_date: DateCol;
  batch_id: number | null;
  status: Generated<"open" | "paid" | "returned">;
  paid_cents: Generated<number>;
  settled_on: DateCol | null;
  returned_on: DateCol | null;
  return_reason: string | null;
  /** Why its direct debit could not go into a bank file (migration 0017); collected by transfer then. */
  set_aside_reason: Generated<string | null>;
  created_on: DateCol;
  created_at: Timestamp;
}

export interface CollectionsTables {
  bank_imports: BankImportsTable;
  premium_letters: PremiumLettersTable;
  charge_collections: ChargeCollectionsTable;
}
