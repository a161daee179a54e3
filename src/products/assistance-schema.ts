import { z } from "zod";

/**
 * The helpline's terms in a product version (service-rules.md, "Helpline cases"): the categories
 * and their default priority, the service levels per priority, when a target is at risk, how
 * long a content-removal notice may go unanswered, the referral bodies of the product's country
 * and the risk questionnaire's version. Version 1 of both products holds the values of the spec.
 */
export const CASE_PRIORITIES = ["urgent", "high", "normal"] as const;
export const casePriority = z.enum(CASE_PRIORITIES);

const serviceLevel = z
  .object({
    firstResponseMinutes: z.number().int().positive(),
    resolutionMinutes: z.number().int().positive(),
  })
  .strict();

export const assistanceTerms = z
  .object({
    categories: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/), casePriority),
    /** The priority of a case whose attack is still going on. */
    ongoingPriority: casePriority,
    serviceLevels: z.object({ urgent: serviceLevel, high: serviceLevel, normal: serviceLevel }).strict(),
    /** A target is at risk from this fraction of it on (3/4). */
    atRisk: z
      .object({ numerator: z.number().int().positive(), denominator: z.number().int().positive() })
      .strict()
      .refine((f) => f.numerator < f.denominator, "at risk must come before the due instant"),
    contentRemovalNoResponseHours: z.number().int().positive(),
    referrals: z.array(z.string().regex(/^[a-z][a-z0-9_]*$/)).min(1),
    /** The peril each category's claim gets; a list means staff choose one; absent means any. */
    claimPerils: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
    riskQuestionnaire: z.number().int().positive(),
  })
  .strict();

export type AssistanceTerms = z.output<typeof assistanceTerms>;
export type CasePriority = z.output<typeof casePriority>;
