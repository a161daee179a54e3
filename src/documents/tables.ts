import type { ColumnType, Generated } from "kysely";
import type { Json } from "../db/schema.ts";
import type { DeliveryStatus, DocContent, DocumentKind } from "./model.ts";

/** Table types of the documents module (migration 20261206_0021_documents.sql). */
type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface DocumentsTable {
  id: Generated<string>;
  kind: DocumentKind;
  source_key: string;
  policy_id: string;
  party_id: string;
  claim_id: string | null;
  language: "nl" | "fr" | "en";
  subject: string;
  content: Json<DocContent>;
  pdf: Uint8Array | null;
  sha256: string;
  pages: number;
  created_at: Timestamp;
  erased_at: Timestamp | null;
}

export interface DocumentDeliveriesTable {
  id: Generated<number>;
  document_id: string;
  recipient: string;
  status: Generated<DeliveryStatus>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  lease_until: Timestamp | null;
  last_error: string | null;
  message_id: string | null;
  sent_at: Timestamp | null;
  created_at: Timestamp;
}

export interface DocumentsTables {
  documents: DocumentsTable;
  document_deliveries: DocumentDeliveriesTable;
}
