import { z } from "zod";
import { questionnaireVersionFor, riskHistory, takeRiskTool } from "../../assistance/index.ts";
import type { Role } from "../../identity/index.ts";
import { isStaff } from "../../identity/index.ts";
import { riskQuestionnaireOf, TIP_SOURCES } from "../../products/index.ts";
import { AppError } from "../../shared/errors.ts";
import { visibleAssessment } from "../access.ts";
import type { Router } from "../router.ts";
import { idParams, uuid } from "../schemas.ts";

const READERS: readonly Role[] = ["policyholder", "helpline_agent", "helpline_supervisor", "admin"];
const texts = z.object({ nl: z.string(), fr: z.string(), en: z.string() });
const tip = z.object({
  question: z.string(),
  option: z.string(),
  text: texts,
  source: z.string(),
  sourceUrl: z.string(),
});
const assessment = z.object({
  id: uuid,
  takenAt: z.string(),
  questionnaireVersion: z.number().int(),
  answers: z.record(z.string(), z.string()),
  areas: z.record(z.string(), z.number().int()),
  overall: z.number().int(),
  level: z.enum(["good", "fair", "at_risk"]),
  tips: z.array(tip),
});

type Scored = Awaited<ReturnType<typeof riskHistory>>[number];
function viewAssessment({ row, score }: Scored): z.infer<typeof assessment> {
  return {
    id: row.id,
    takenAt: row.taken_at.toISOString(),
    questionnaireVersion: row.questionnaire_version,
    answers: row.answers,
    areas: row.area_scores as Record<string, number>,
    overall: row.overall,
    level: row.level,
    tips: (score?.tips ?? []).map((t) => ({
      ...t,
      sourceUrl: TIP_SOURCES[t.source as keyof typeof TIP_SOURCES] ?? "",
    })),
  };
}

/** The online risk tool (section B): questionnaire, submissions and the household's history. */
export function registerRiskToolRoutes(r: Router) {
  r.route({
    method: "GET",
    url: "/risk-tool/questionnaire",
    summary: "The risk questionnaire the caller's product offers (questions, options with points, areas)",
    tags: ["risk tool"],
    roles: READERS,
    response: z.object({ version: z.number().int(), questions: z.array(z.unknown()) }),
    handler: async ({ tx, ctx, principal }) => {
      const version = principal.partyId ? await questionnaireVersionFor(tx, ctx, principal.partyId) : 1;
      const q = riskQuestionnaireOf(version);
      return { version: q.version, questions: q.questions };
    },
  });

  r.route({
    method: "POST",
    url: "/risk-tool/assessments",
    summary: "Take the risk tool: every question answered; scores per area, overall, level and tips",
    tags: ["risk tool"],
    roles: ["policyholder"],
    idempotent: true,
    status: 201,
    body: z
      .object({ answers: z.record(z.string().max(64), z.string().max(64)) })
      .strict()
      .refine((b) => Object.keys(b.answers).length <= 100, "too many answers"),
    response: assessment,
    handler: async ({ tx, ctx, principal, body }) => {
      const partyId = principal.partyId!;
      const version = await questionnaireVersionFor(tx, ctx, partyId);
      const { row, score } = await takeRiskTool(tx, ctx, { partyId, version, answers: body.answers });
      return viewAssessment({ row, score });
    },
  });

  r.route({
    method: "GET",
    url: "/risk-tool/assessments",
    summary: "The household's risk-tool results over time, oldest first (staff: give partyId)",
    tags: ["risk tool"],
    roles: READERS,
    query: z.object({ partyId: uuid.optional() }).strict(),
    response: z.object({ items: z.array(assessment) }),
    handler: async ({ tx, principal, query }) => {
      const partyId = isStaff(principal.role) ? query.partyId : principal.partyId!;
      if (!partyId)
        throw new AppError("validation_failed", "give the partyId", [
          { path: "partyId", message: "required for staff" },
        ]);
      return { items: (await riskHistory(tx, partyId)).map(viewAssessment) };
    },
  });

  r.route({
    method: "GET",
    url: "/risk-tool/assessments/:id",
    summary: "One risk-tool result with its answers as given",
    tags: ["risk tool"],
    roles: READERS,
    params: idParams,
    response: assessment,
    handler: async ({ tx, principal, params }) => {
      const owner = await visibleAssessment(tx, principal, params.id);
      const found = (await riskHistory(tx, owner.party_id)).find((a) => a.row.id === params.id);
      if (!found) throw new AppError("not_found", `risk assessment ${params.id} not found`);
      return viewAssessment(found);
    },
  });
}
