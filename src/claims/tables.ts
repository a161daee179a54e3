import type { ColumnType, Generated } from "kysely";

type Timestamp = ColumnType<Date, Date | string, Date | string>;

export type EvidenceKind = "police_report" | "bank_refusal_letter" | "invoice" | "screenshot" | "other";

export interface ClaimEvidenceTable {
  id: Generated<string>;
  claim_id: string;
  policy_id: string;
  kind: EvidenceKind;
  file_name: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  /** bytea: a Buffer from `pg`, a Uint8Array from PGlite; null once erased. */
  content: Uint8Array | null;
  uploaded_by: string;
  uploaded_at: Timestamp;
  erased_at: Timestamp | null;
}

export interface ClaimOverridesTable {
  id: Generated<string>;
  claim_id: string;
  policy_id: string;
  outcome: "approved" | "denied";
  payout_cents: number;
  reason_text: string;
  status: "pending" | "applied" | "rejected";
  requested_by: string;
  requested_at: Timestamp;
  reviewed_by: string | null;
  reviewed_at: Timestamp | null;
  review_note: string | null;
  decision_sequence: number | null;
  /** Pays beyond the cover: needs an admin's approval. */
  ex_gratia: Generated<boolean>;
}

export interface ClaimReferralsTable {
  id: Generated<string>;
  claim_id: string;
  policy_id: string;
  reason_text: string;
  previous_status: string;
  referred_by: string;
  referred_at: Timestamp;
}

/** The claims-handling tables of migration 0005, merged into `Database` in src/db/schema.ts. */
export interface ClaimsStaffTables {
  claim_evidence: ClaimEvidenceTable;
  claim_overrides: ClaimOverridesTable;
  claim_referrals: ClaimReferralsTable;
}
