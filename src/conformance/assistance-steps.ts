import { z } from "zod";
import { getCaseByReference, openCase } from "../assistance/index.ts";
import type { Tx } from "../db/schema.ts";
import { giveRansomConsent } from "../flows/ransom-consent.ts";
import type { Ctx } from "../shared/context.ts";
import { ValidationError } from "../shared/errors.ts";
import { parseAmount } from "../shared/money.ts";

/** The helpline steps of service-rules.md ("Conformance steps for these rules"). */
const errorExpect = z.object({ error: z.string().min(1) }).strict();

export const helplineCaseStep = z
  .object({
    do: z.literal("helpline_case"),
    id: z.string().min(1),
    openedAt: z.string().min(1),
    category: z.string(),
    ongoing: z.boolean().optional(),
    channel: z.string().optional(),
    expect: z
      .union([
        z
          .object({
            entitled: z.boolean().optional(),
            priority: z.string().optional(),
            firstResponseDue: z.string().optional(),
            resolutionDue: z.string().optional(),
            reason: z.string().optional(),
          })
          .strict(),
        errorExpect,
      ])
      .optional(),
  })
  .strict();

export const ransomConsentStep = z
  .object({
    do: z.literal("ransom_consent"),
    case: z.string().min(1),
    at: z.string().min(1),
    maxAmount: z.union([z.string(), z.number()]).transform(String),
    expect: z.union([z.object({}).strict(), errorExpect]).optional(),
  })
  .strict();

type HelplineCaseStep = z.output<typeof helplineCaseStep>;
type RansomConsentStep = z.output<typeof ransomConsentStep>;

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export function parseInstant(value: string, field: string): Date {
  const d = new Date(value);
  if (!INSTANT.test(value) || Number.isNaN(d.getTime()))
    throw new ValidationError([
      { path: field, message: `must be an ISO 8601 instant with an offset (got "${value}")` },
    ]);
  return d;
}

/** "2026-03-01T01:45:00Z": UTC to the second, as the scenarios compare them. */
export function utcSeconds(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}

/** The calendar date a step happens on, for the rule that dates never go backwards. */
export function assistanceStepDate(step: HelplineCaseStep | RansomConsentStep): string {
  return (step.do === "helpline_case" ? step.openedAt : step.at).slice(0, 10);
}

export async function runAssistanceStep(
  tx: Tx,
  ctx: Ctx,
  policyId: string,
  step: HelplineCaseStep | RansomConsentStep,
  at: (field: string) => string,
): Promise<Record<string, unknown>> {
  if (step.do === "helpline_case") {
    const openedAt = parseInstant(step.openedAt, at("openedAt"));
    const row = await openCase(
      tx,
      { ...ctx, now: openedAt },
      {
        policyId,
        reference: step.id,
        openedAt,
        channel: step.channel ?? "phone",
        category: step.category,
        ongoing: step.ongoing,
        authorRole: "helpline_agent",
      },
    );
    return {
      entitled: row.entitled,
      priority: row.priority,
      firstResponseDue: utcSeconds(row.first_response_due),
      resolutionDue: utcSeconds(row.resolution_due),
      ...(row.entitlement_reason ? { reason: row.entitlement_reason } : {}),
    };
  }
  const now = parseInstant(step.at, at("at"));
  const row = await getCaseByReference(tx, policyId, step.case);
  await giveRansomConsent(
    tx,
    { ...ctx, now },
    { row, maxCents: parseAmount(step.maxAmount, at("maxAmount")), givenByName: "conformance" },
  );
  return {};
}
