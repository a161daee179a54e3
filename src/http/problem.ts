import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { AppError, type ErrorCode, type FieldIssue, isAppError } from "../shared/errors.ts";
import { uniqueConflict } from "./unique-conflicts.ts";

/**
 * Every error code's HTTP status, in one place. The Record over `ErrorCode` makes the compiler
 * refuse a new code until it has a status here. Codes that products define themselves
 * (`refusedMethodError`) are not in the union; they are refusals of input and answer 422.
 */
export const STATUS: Record<ErrorCode, number> = {
  validation_failed: 400,
  malformed_request: 400,
  idempotency_key_invalid: 400,
  account_link_invalid: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  csrf_failed: 403,
  not_found: 404,
  route_not_found: 404,
  conflict: 409,
  policy_not_active: 409,
  claim_not_open: 409,
  override_exceeds_limit: 409,
  override_exceeds_cover: 422,
  ex_gratia_needs_admin: 403,
  override_pending: 409,
  override_not_pending: 409,
  payout_in_progress: 409,
  four_eyes_required: 403,
  erasure_not_allowed: 409,
  payload_too_large: 413,
  evidence_quota_exceeded: 409,
  unsupported_media_type: 415,
  unknown_product: 422,
  unknown_product_version: 422,
  unknown_peril: 422,
  unknown_loss_kind: 422,
  household_not_offered: 422,
  language_not_offered: 422,
  frequency_not_offered: 422,
  payment_method_not_offered: 422,
  monthly_requires_direct_debit: 422,
  dates_out_of_order: 422,
  invalid_iban: 422,
  idempotency_key_reused: 422,
  bank_file_invalid: 422,
  bank_file_unknown_type: 422,
  rate_limited: 429,
  invalid_product_definition: 500,
  bank_xsd_missing: 500,
  database_in_use: 503,
  internal_error: 500,
  unknown_channel: 422,
  unknown_category: 422,
  unknown_status: 422,
  unknown_case: 404,
  transition_not_allowed: 409,
  consent_not_allowed: 409,
  consent_above_limit: 422,
  removal_not_allowed: 409,
  invalid_risk_answers: 422,
  // a fact only the insurer establishes (ransomConsent, bankReimbursed, fraud) sent by a policyholder
  insurer_fact: 403,
};

export function statusOf(code: string): number {
  const known = (STATUS as Record<string, number>)[code];
  if (known !== undefined) return known;
  // The database layer's own codes (out-of-step schema, values out of range) are server faults.
  return code.startsWith("database_") ? 500 : 422;
}

/** RFC 9457 problem details, plus the stable `code`, the field issues and the request id. */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string(),
    code: z.string(),
    requestId: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })),
  })
  .meta({ id: "Problem" });
export type Problem = z.infer<typeof problemSchema>;

function title(code: string): string {
  const words = code.replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function problem(request: FastifyRequest, code: string, detail: string, issues: FieldIssue[] = []) {
  return {
    type: `urn:cyberpolis:problem:${code}`,
    title: title(code),
    status: statusOf(code),
    detail,
    instance: request.url.split("?")[0] ?? request.url,
    code,
    requestId: request.id,
    errors: issues,
  } satisfies Problem;
}

export function sendProblem(reply: FastifyReply, body: Problem) {
  return reply.code(body.status).type("application/problem+json").send(body);
}

/** Fastify's own 4xx errors (body parsing, content type, size) turned into our codes. */
function frameworkError(err: FastifyError): AppError | null {
  const status = err.statusCode ?? 500;
  if (status >= 500) return null;
  if (status === 413) return new AppError("payload_too_large", "the request body is too large");
  if (status === 415) return new AppError("unsupported_media_type", "send the body as application/json");
  if (status === 429) return new AppError("rate_limited", "too many requests; try again later");
  return new AppError("malformed_request", err.message || "the request could not be read");
}

/**
 * The one error handler: AppErrors become their problem, and so do the unique violations a
 * request can cause (unique-conflicts.ts); anything unknown is logged with the
 * request id (pino adds it) and answered with a generic 500 that reveals no internals.
 */
export function handleError(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const known = isAppError(err) ? err : (frameworkError(err) ?? uniqueConflict(err));
  if (known && statusOf(known.code) < 500) {
    return sendProblem(reply, problem(request, known.code, known.message, known.issues));
  }
  request.log.error({ err }, "unexpected error");
  return sendProblem(
    reply,
    problem(request, "internal_error", `an unexpected error occurred; quote request id ${request.id}`),
  );
}
