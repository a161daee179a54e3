import type { ColumnType, Generated, Insertable, Kysely, Selectable, Transaction } from "kysely";
import type { AssistanceTables } from "../assistance/tables.ts";
import type { BillingTables, CollectionsTables } from "../billing/index.ts";
import type { ClaimsStaffTables, DecidedLine } from "../claims/index.ts";
import type { DocumentsTables } from "../documents/index.ts";
import type { IdentityTables } from "../identity/index.ts";
import type { JobsTables } from "../jobs/index.ts";
import type { LedgerTables } from "../ledger/index.ts";
import type { PaymentsTables } from "../payments/index.ts";
import type { HouseholdType, PaymentFrequency, PaymentMethod } from "../products/index.ts";
import type { Language } from "../shared/i18n/index.ts";

/** jsonb columns: read as parsed JSON, written as a JSON string (identical on pg and PGlite). */
export type Json<T> = ColumnType<T, string, string>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** Calendar dates are kept as "YYYY-MM-DD" strings end to end (the connection's type parser). */
type DateCol = string;

export interface PartiesTable {
  id: Generated<string>;
  kind: Generated<"person">;
  name: string;
  email: string | null;
  phone: string | null;
  birth_date: DateCol | null;
  address: Json<Record<string, string>> | null;
  country: string | null;
  /** The policyholder's language for letters and explanations (migration 20261204_0016). */
  language: ColumnType<Language, Language | undefined, Language>;
  created_at: Timestamp;
  erased_at: Timestamp | null;
}

export interface PoliciesTable {
  id: Generated<string>;
  number: string;
  party_id: string;
  product_code: string;
  product_version: number;
  household: HouseholdType;
  start_date: DateCol;
  payment_frequency: PaymentFrequency;
  payment_method: PaymentMethod;
  end_date: DateCol | null;
  end_reason: "cancelled" | "terminated" | null;
  cancel_requested_on: DateCol | null;
  cancel_refund_cents: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface PolicyEndorsementsTable {
  id: Generated<string>;
  policy_id: string;
  kind: "household";
  effective_date: DateCol;
  household: HouseholdType;
  created_at: Timestamp;
}

export interface ClaimsTable {
  id: Generated<string>;
  policy_id: string;
  number: string;
  reference: string | null;
  peril: string;
  section: string | null;
  incident_date: DateCol;
  reported_date: DateCol;
  facts: Json<Record<string, unknown>>;
  status: "new" | "needs_information" | "approved" | "denied" | "referred";
  payout_cents: Generated<number>;
  current_decision: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** Of `payout_cents`, the part paid ex gratia (beyond the cover; not counted in the limit). */
  ex_gratia_cents: Generated<number>;
  version: Generated<number>;
}

export interface ClaimLinesTable {
  claim_id: string;
  policy_id: string;
  line_no: number;
  kind: string;
  amount_cents: number;
  description: string | null;
  /** A ransom line's payment date (migration 20261206_0020). */
  paid_on: ColumnType<DateCol | null, DateCol | null | undefined, DateCol | null>;
}

export interface ClaimFactsTable {
  id: Generated<number>;
  claim_id: string;
  policy_id: string;
  facts: Json<Record<string, unknown>>;
  supplied_on: DateCol;
  actor: string;
  recorded_at: Timestamp;
}

export interface ClaimDecisionsTable {
  claim_id: string;
  sequence: number;
  policy_id: string;
  kind: "automatic" | "override";
  outcome: "approved" | "denied" | "needs_information" | "referred";
  payout_cents: number;
  reasons: Json<string[]>;
  missing: Json<string[]>;
  lines: Json<DecidedLine[]>;
  /** Steps as codes and params (claims/steps.ts); decisions stored before then hold `{nl, en}` prose. */
  explanation: Json<unknown[]>;
  section: string | null;
  policy_year_start: DateCol | null;
  product_code: string;
  product_version: number;
  decided_on: DateCol;
  decided_at: Timestamp;
  actor: string;
  reason_text: string | null;
  /** The part of the payout beyond the cover, paid ex gratia (an admin-approved override). */
  ex_gratia_cents: Generated<number>;
}

export interface LimitUsageTable {
  policy_id: string;
  section: string;
  policy_year_start: DateCol;
  used_cents: Generated<number>;
  updated_at: Timestamp;
}

export interface PremiumRemindersTable {
  id: Generated<string>;
  policy_id: string;
  notice_kind: "reminder" | "formal_notice";
  due_date: DateCol;
  reminder_date: DateCol;
  amount_cents: number | null;
  settled_on: DateCol | null;
  /** The invoice the reminder is for (dunning), null for a reminder recorded by hand. */
  invoice_period_start: DateCol | null;
  /** The charge the reminder is for (dunning of a charge, migration 20261122_0007). */
  adjustment_id: number | null;
  created_at: Timestamp;
}

export interface PremiumPaymentsTable {
  id: Generated<string>;
  policy_id: string;
  received_on: DateCol;
  amount_cents: number | null;
  reference: string | null;
  created_at: Timestamp;
}

export interface PremiumSuspensionsTable {
  id: Generated<string>;
  policy_id: string;
  reminder_id: string;
  from_date: DateCol;
  until_date: DateCol | null;
  created_at: Timestamp;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Timestamp;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  policy_id: string | null;
  before: Json<unknown> | null;
  after: Json<unknown> | null;
  request_id: string | null;
}

export interface SepaMandatesTable {
  id: Generated<string>;
  policy_id: string;
  reference: string;
  account_holder: string;
  iban: string;
  bic: string | null;
  signed_on: DateCol;
  consent_text: string;
  /** Generated (migration 0009): the fields go into a SEPA file as stored (billing/pain008-sql.ts). */
  plain_sepa: Generated<boolean>;
  revoked_on: DateCol | null;
  created_at: Timestamp;
}

/** Tables of later modules are declared beside their module and added here. */
export interface Database
  extends IdentityTables,
    BillingTables,
    LedgerTables,
    ClaimsStaffTables,
    CollectionsTables,
    PaymentsTables,
    JobsTables,
    DocumentsTables,
    AssistanceTables {
  sepa_mandates: SepaMandatesTable;
  parties: PartiesTable;
  policies: PoliciesTable;
  policy_endorsements: PolicyEndorsementsTable;
  claims: ClaimsTable;
  claim_lines: ClaimLinesTable;
  claim_facts: ClaimFactsTable;
  claim_decisions: ClaimDecisionsTable;
  limit_usage: LimitUsageTable;
  premium_reminders: PremiumRemindersTable;
  premium_payments: PremiumPaymentsTable;
  premium_suspensions: PremiumSuspensionsTable;
  audit_log: AuditLogTable;
}

/** Every service takes its transaction explicitly; a Transaction is also a Kysely, so plain handles work too. */
export type Tx = Kysely<Database> | Transaction<Database>;
export type PolicyRow = Selectable<PoliciesTable>;
export type ClaimRow = Selectable<ClaimsTable>;
export type NewAuditEntry = Insertable<AuditLogTable>;
