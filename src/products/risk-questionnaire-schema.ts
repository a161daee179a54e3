import { z } from "zod";
import { texts } from "./schema.ts";

/** Public sources a tip may cite (service-rules.md, "Online risk tool"). */
export const TIP_SOURCES = {
  NCSC: "https://www.ncsc.nl",
  Safeonweb: "https://safeonweb.be",
  "Veiliginternetten.nl": "https://veiliginternetten.nl",
  Fraudehelpdesk: "https://www.fraudehelpdesk.nl",
} as const;
const source = z.enum(
  Object.keys(TIP_SOURCES) as [keyof typeof TIP_SOURCES, ...(keyof typeof TIP_SOURCES)[]],
);

const option = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_]*$/),
    text: texts,
    points: z.number().int().min(0),
    /** "Not applicable": counts as unanswered. */
    notApplicable: z.boolean().default(false),
    tip: z.object({ text: texts, source }).strict().optional(),
  })
  .strict();

const question = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_]*$/),
    area: z.enum(["accounts", "devices", "backups", "phishing", "network", "family", "payments"]),
    text: texts,
    max: z.number().int().positive(),
    options: z.array(option).min(2),
  })
  .strict()
  .superRefine((q, ctx) => {
    q.options.forEach((o, i) => {
      if (o.points > q.max)
        ctx.addIssue({ code: "custom", path: ["options", i, "points"], message: "above the maximum" });
      if (!o.notApplicable && o.points < q.max && !o.tip)
        ctx.addIssue({
          code: "custom",
          path: ["options", i, "tip"],
          message: "an answer below the maximum needs a tip",
        });
    });
    if (!q.options.some((o) => !o.notApplicable && o.points === q.max))
      ctx.addIssue({ code: "custom", path: ["options"], message: "no option reaches the maximum" });
  });

export const riskQuestionnaire = z
  .object({
    version: z.number().int().positive(),
    /** Level thresholds on the rounded overall score. */
    levels: z.object({ good: z.number().int(), fair: z.number().int() }).strict(),
    questions: z.array(question).min(1),
  })
  .strict();

export type RiskQuestionnaire = z.output<typeof riskQuestionnaire>;
export type RiskQuestion = RiskQuestionnaire["questions"][number];
