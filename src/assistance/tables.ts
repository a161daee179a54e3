import type { ColumnType, Generated, Selectable } from "kysely";
import type { Json } from "../db/schema.ts";
import type { CasePriority } from "../products/index.ts";
import type { Language } from "../shared/i18n/index.ts";
import type {
  CaseStatus,
  Channel,
  ContentType,
  EntitlementReason,
  HelpKind,
  RemovalGround,
  RemovalStatus,
  RiskArea,
  RiskLevel,
  Target,
} from "./model.ts";

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** int8 columns: the connection's parsers make them safe integers on both backends. */
type BigintCol = number;

export interface AssistanceCasesTable {
  id: Generated<string>;
  number: string;
  policy_id: string;
  reference: string | null;
  opened_at: Timestamp;
  channel: Channel;
  category: string;
  ongoing: boolean;
  help_kinds: Json<HelpKind[]>;
  priority: CasePriority;
  priority_reason: string | null;
  status: CaseStatus;
  entitled: boolean;
  entitlement_reason: EntitlementReason | null;
  first_response_due: Timestamp;
  resolution_due: Timestamp;
  first_response_risk_at: Timestamp;
  resolution_risk_at: Timestamp;
  next_due: Timestamp;
  waiting_since: Timestamp | null;
  paused_ms: ColumnType<number, number | undefined, number>;
  first_response_at: Timestamp | null;
  resolved_at: Timestamp | null;
  attention_since: Timestamp | null;
  claim_id: string | null;
  opened_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface AssistanceNotesTable {
  id: Generated<BigintCol>;
  case_id: string;
  policy_id: string;
  author: string;
  author_role: string;
  at: Timestamp;
  body: string;
  is_response: boolean;
}

export interface AssistanceStatusChangesTable {
  id: Generated<BigintCol>;
  case_id: string;
  policy_id: string;
  from_status: CaseStatus | null;
  to_status: CaseStatus;
  version: number;
  reason: string | null;
  actor: string;
  at: Timestamp;
}

export interface AssistancePriorityChangesTable {
  id: Generated<BigintCol>;
  case_id: string;
  policy_id: string;
  from_priority: CasePriority;
  to_priority: CasePriority;
  reason: string;
  actor: string;
  at: Timestamp;
}

export interface AssistanceReferralsTable {
  id: Generated<BigintCol>;
  case_id: string;
  policy_id: string;
  referred_to: string;
  advised_on: string;
  actor: string;
  at: Timestamp;
}

export interface AssistanceBreachesTable {
  id: Generated<BigintCol>;
  case_id: string;
  policy_id: string;
  target: Target;
  due_at: Timestamp;
  recorded_at: Timestamp;
  escalated_to: Generated<string>;
  acknowledged_by: string | null;
  acknowledged_at: Timestamp | null;
}

export interface RansomConsentsTable {
  id: Generated<string>;
  case_id: string;
  policy_id: string;
  given_at: Timestamp;
  given_on: string;
  given_by: string;
  given_by_name: string;
  max_cents: BigintCol;
}

export interface ContentRemovalsTable {
  id: Generated<string>;
  case_id: string;
  policy_id: string;
  platform: string;
  url: string;
  content_type: ContentType;
  ground: RemovalGround;
  status: RemovalStatus;
  language: Language;
  explanation: string;
  notice_text: string | null;
  notice_sent_at: Timestamp | null;
  answered_at: Timestamp | null;
  no_response_at: Timestamp | null;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface RiskAssessmentsTable {
  id: Generated<string>;
  party_id: string;
  questionnaire_version: number;
  answers: Json<Record<string, string>>;
  area_scores: Json<Partial<Record<RiskArea, number>>>;
  overall: number;
  level: RiskLevel;
  taken_at: Timestamp;
  actor: string;
}

/** The assistance tables of migration 20261206_0020, merged into `Database` in src/db/schema.ts. */
export interface AssistanceTables {
  assistance_cases: AssistanceCasesTable;
  assistance_notes: AssistanceNotesTable;
  assistance_status_changes: AssistanceStatusChangesTable;
  assistance_priority_changes: AssistancePriorityChangesTable;
  assistance_referrals: AssistanceReferralsTable;
  assistance_breaches: AssistanceBreachesTable;
  ransom_consents: RansomConsentsTable;
  content_removals: ContentRemovalsTable;
  risk_assessments: RiskAssessmentsTable;
}

export type CaseRow = Selectable<AssistanceCasesTable>;
export type RemovalRow = Selectable<ContentRemovalsTable>;
