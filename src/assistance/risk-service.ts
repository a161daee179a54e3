import type { Tx } from "../db/schema.ts";
import { riskQuestionnaireOf } from "../products/index.ts";
import type { Ctx } from "../shared/context.ts";
import { ValidationError } from "../shared/errors.ts";
import { answerIssues, type RiskAnswers, scoreRisk } from "./risk.ts";
import { assessmentsOf, insertAssessment } from "./store/items.ts";

/**
 * Takes the risk tool: every question answered with one of its options, scored under the
 * questionnaire version the household's product offers, stored as submitted. It never changes a
 * premium or an acceptance (nothing here reads or writes a policy).
 */
export async function takeRiskTool(
  tx: Tx,
  ctx: Ctx,
  input: { partyId: string; version: number; answers: RiskAnswers },
) {
  const q = riskQuestionnaireOf(input.version);
  const issues = answerIssues(q, input.answers);
  if (issues.length > 0) throw new ValidationError(issues, "invalid_risk_answers");
  const score = scoreRisk(q, input.answers);
  if (!score)
    throw new ValidationError(
      [{ path: "answers", message: "every question was not applicable: nothing to score" }],
      "invalid_risk_answers",
    );
  const row = await insertAssessment(tx, ctx, {
    partyId: input.partyId,
    version: q.version,
    answers: { ...input.answers },
    areas: score.areas,
    overall: score.overall,
    level: score.level,
  });
  return { row, score };
}

/** The household's results over time, oldest first, each re-scored for its tips. */
export async function riskHistory(tx: Tx, partyId: string) {
  const rows = await assessmentsOf(tx, partyId);
  return rows.map((row) => ({
    row,
    score: scoreRisk(riskQuestionnaireOf(row.questionnaire_version), row.answers),
  }));
}

/** The questionnaire version a household's product offers (its latest policy's product). */
export async function questionnaireVersionFor(tx: Tx, ctx: Ctx, partyId: string): Promise<number> {
  const policy = await tx
    .selectFrom("policies")
    .select(["product_code", "product_version"])
    .where("party_id", "=", partyId)
    .orderBy("start_date", "desc")
    .executeTakeFirst();
  const product = policy ? ctx.catalog.get(policy.product_code, policy.product_version) : null;
  return product?.assistance?.riskQuestionnaire ?? 1;
}
