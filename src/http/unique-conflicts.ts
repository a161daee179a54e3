import { AppError, type ErrorCode } from "../shared/errors.ts";

/**
 * Unique indexes a request can run into by itself (a reused reference) or by racing another
 * request (two overrides at once): a conflict with existing data, not a fault of the server.
 * Only these are mapped; any other unique violation is a bug and stays a logged 500.
 */
const EXPECTED: Record<string, { code: ErrorCode; path: string; message: string }> = {
  claims_policy_reference_idx: {
    code: "conflict",
    path: "reference",
    message: "this policy already has a claim with this reference",
  },
  claim_overrides_pending_idx: {
    code: "override_pending",
    path: "claim",
    message: "this claim already has an override awaiting approval",
  },
  sepa_mandates_active_idx: {
    code: "conflict",
    path: "mandate",
    message: "the policy's mandate changed concurrently; retry",
  },
  users_email_idx: { code: "conflict", path: "email", message: "a user with this email exists" },
};

/** SQLSTATE 23505; pg and PGlite both report the code and the constraint (index) name. */
const UNIQUE_VIOLATION = "23505";

export function uniqueConflict(err: unknown): AppError | null {
  if (typeof err !== "object" || err === null) return null;
  const { code, constraint } = err as { code?: unknown; constraint?: unknown };
  if (code !== UNIQUE_VIOLATION || typeof constraint !== "string") return null;
  const expected = EXPECTED[constraint];
  if (!expected) return null;
  return new AppError(expected.code, expected.message, [{ path: expected.path, message: expected.message }]);
}
