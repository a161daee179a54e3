import { z } from "zod";

const date = z.iso.date();
const cents = z.number().int().min(0);
const code = z.string().min(1);
const none = z.object({}).strict();
const step = <C extends string, P extends z.ZodType>(c: C, params: P) =>
  z.object({ step: z.number().int(), code: z.literal(c), params }).strict();

/**
 * One explained step of a decision: codes and numbers only, never words, so a stored decision
 * renders in any language and the same way every time (explain.ts). Codes in params (perils, loss
 * kinds, reasons, exclusions, evidence) are named in words by the catalogs and by the product
 * version the decision was made under. The schema reads stored decisions back.
 */
export const explanationStep = z.discriminatedUnion("code", [
  step("not_covered_peril", z.object({ peril: code })),
  step("section", z.object({ peril: code, section: code })),
  step(
    "not_in_force",
    z.object({
      incidentDate: date,
      why: z.enum(["before_start", "ended"]),
      startDate: date,
      endDate: date.nullable(),
    }),
  ),
  step("cover_suspended", z.object({ incidentDate: date, from: date, until: date.nullable() })),
  step("in_force", z.object({ incidentDate: date, policyYearStart: date, household: code })),
  step("excluded", z.object({ exclusions: z.array(code) })),
  step("no_exclusion", none),
  step("line_accepted", z.object({ lineNo: z.number().int(), kind: code, amount: cents })),
  step("line_rejected", z.object({ lineNo: z.number().int(), kind: code, amount: cents, reason: code })),
  // The insurer's prior consent that covers a ransom line paid on `paidOn` (service-rules.md).
  step(
    "ransom_consent",
    z.object({
      lineNo: z.number().int(),
      paidOn: date,
      givenOn: date,
      givenTime: z.string().regex(/^\d{2}:\d{2}$/),
      givenBy: z.string(),
      max: cents,
    }),
  ),
  // A ransom line above its consent's maximum: the part up to it is accepted.
  step(
    "line_capped",
    z.object({ lineNo: z.number().int(), kind: code, amount: cents, accepted: cents, reason: code }),
  ),
  step("needs_information", z.object({ missing: z.array(code) })),
  step("evidence_complete", z.object({ evidence: z.array(code) })),
  step("deductible", z.object({ accepted: cents, deductible: cents, payable: cents })),
  step("per_event_limit", z.object({ limit: cents })),
  step(
    "annual_limit_check",
    z.object({ section: code, household: code, limit: cents, used: cents, remaining: cents }),
  ),
  step("approved", z.object({ payout: cents })),
  // A denial, with every reason that led to it.
  step("outcome", z.object({ reasons: z.array(code) })),
  // A handler's override; `note` is the handler's own words, shown as written.
  step("override", z.object({ outcome: z.enum(["approved", "denied"]), payout: cents, note: z.string() })),
  step("four_eyes_approved", none),
  // An override beyond the cover: what the cover pays and what is paid ex gratia on top.
  step("ex_gratia", z.object({ cover: cents, exGratia: cents })),
  step("ex_gratia_approved", none),
]);

export type ExplanationStep = z.output<typeof explanationStep>;
export type StepParams = { [S in ExplanationStep as S["code"]]: S["params"] };

export type StepCode = keyof StepParams;

/**
 * The rule step of coverage-rules.md each code belongs to (9: a handler's override). Every code
 * the platform can put in an explanation is a key here, so the compiler makes each one have a step
 * and the catalog test can list them all.
 */
export const STEP_OF: Readonly<Record<StepCode, number>> = {
  not_covered_peril: 0,
  section: 0,
  not_in_force: 1,
  cover_suspended: 1,
  in_force: 1,
  excluded: 2,
  no_exclusion: 2,
  line_accepted: 3,
  line_rejected: 3,
  ransom_consent: 3,
  line_capped: 3,
  needs_information: 4,
  evidence_complete: 4,
  deductible: 5,
  per_event_limit: 6,
  annual_limit_check: 7,
  approved: 8,
  outcome: 8,
  override: 9,
  four_eyes_approved: 9,
  ex_gratia: 9,
  ex_gratia_approved: 9,
};

export const STEP_CODES: readonly StepCode[] = Object.keys(STEP_OF).filter(
  (c): c is StepCode => c in STEP_OF,
);

export function explained<C extends StepCode>(code: C, params: StepParams[C]) {
  return { step: STEP_OF[code], code, params };
}

/**
 * The reason codes the decision core itself can give; the others come from the product data
 * (a loss kind's `rejectAs`, `neverCoveredLossKinds`, `rejectedLossKinds`, exclusions).
 */
export const CORE_REASONS = [
  "not_covered_peril",
  "not_covered_loss",
  "not_in_force",
  "cover_suspended",
  "below_deductible",
  "per_event_limit",
  "annual_limit",
  "annual_limit_exhausted",
  "override",
] as const;
