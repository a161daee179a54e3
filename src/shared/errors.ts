/**
 * One error type for the whole platform. `code` is a stable, documented string that the API
 * maps to HTTP status and problem+json in one place and the CLI prints as a plain message.
 */
export type ErrorCode =
  | "validation_failed"
  | "unknown_product"
  | "unknown_product_version"
  | "unknown_peril"
  | "unknown_loss_kind"
  | "household_not_offered"
  // a policyholder's language that the product does not write in
  | "language_not_offered"
  | "frequency_not_offered"
  | "payment_method_not_offered"
  | "monthly_requires_direct_debit"
  | "dates_out_of_order"
  | "not_found"
  | "conflict"
  | "policy_not_active"
  | "claim_not_open"
  // claims handling by staff and GDPR erasure
  | "override_exceeds_limit"
  | "override_exceeds_cover"
  | "ex_gratia_needs_admin"
  | "override_pending"
  | "override_not_pending"
  | "four_eyes_required"
  // a claim's payout lowered below what is already in a bank file or paid
  | "payout_in_progress"
  | "erasure_not_allowed"
  | "invalid_product_definition"
  | "invalid_iban"
  | "bank_file_invalid"
  | "bank_file_unknown_type"
  // the CLI can't find the bank schemas to check an imported file against (BANK_XSD_DIR)
  | "bank_xsd_missing"
  // another process owns the embedded database folder (src/db/embedded-lock.ts)
  | "database_in_use"
  // HTTP adapter: src/http/problem.ts maps every code to a status
  | "malformed_request"
  | "unsupported_media_type"
  | "payload_too_large"
  // a claim or household holds as much evidence as the quota allows (ClaimsConfig)
  | "evidence_quota_exceeded"
  | "route_not_found"
  | "unauthenticated"
  | "invalid_credentials"
  // a link of an account e-mail (verification, reset, invitation) unknown, used or expired
  | "account_link_invalid"
  | "forbidden"
  | "csrf_failed"
  | "rate_limited"
  | "idempotency_key_invalid"
  | "idempotency_key_reused"
  | "internal_error"
  // the helpline, ransom consent, content removal and the risk tool (src/assistance)
  | "unknown_channel"
  | "unknown_category"
  | "unknown_status"
  | "unknown_case"
  | "transition_not_allowed"
  | "consent_not_allowed"
  | "consent_above_limit"
  | "removal_not_allowed"
  | "invalid_risk_answers"
  | "insurer_fact";

export interface FieldIssue {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly code: string;
  readonly issues: FieldIssue[];
  constructor(code: ErrorCode | (string & {}), message: string, issues: FieldIssue[] = []) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.issues = issues;
  }
}

export class ValidationError extends AppError {
  constructor(issues: FieldIssue[], code: ErrorCode = "validation_failed") {
    super(code, issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; "), issues);
    this.name = "ValidationError";
  }
}

export class NotFoundError extends AppError {
  constructor(what: string, id: string) {
    super("not_found", `${what} ${id} not found`);
    this.name = "NotFoundError";
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
