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
  reminder_id: string;
  kind: "reminder" | "formal_notice";
  language: string;
  recipient: string;
  subject: string;
  body: string;
  letter_date: DateCol;
  suspension_from: DateCol;
  created_at: Timestamp;
  sent_at: Timestamp | null;
}

export interface CollectionsTables {
  bank_imports: BankImportsTable;
  premium_letters: PremiumLettersTable;
}
