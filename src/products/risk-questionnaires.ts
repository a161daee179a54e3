import { AppError } from "../shared/errors.ts";
import { describeIssues } from "./catalog.ts";
import { type RiskQuestionnaire, riskQuestionnaire } from "./risk-questionnaire-schema.ts";
import v1 from "./risk-questionnaires/1.json" with { type: "json" };

/**
 * The online risk tool's questionnaires, by version (service-rules.md, "Online risk tool"). A
 * product version names the version it offers (`assistance.riskQuestionnaire`); an assessment
 * keeps the version it was taken under, so old answers always score the way they did.
 */
const RAW: Readonly<Record<number, unknown>> = { 1: v1 };

const cache = new Map<number, RiskQuestionnaire>();

export function riskQuestionnaireOf(version: number): RiskQuestionnaire {
  const hit = cache.get(version);
  if (hit) return hit;
  const raw = RAW[version];
  if (raw === undefined) throw new AppError("not_found", `no risk questionnaire version ${version}`);
  const parsed = riskQuestionnaire.safeParse(raw);
  if (!parsed.success)
    throw new AppError(
      "invalid_product_definition",
      `risk questionnaire ${version}: ${describeIssues(parsed.error)}`,
    );
  cache.set(version, parsed.data);
  return parsed.data;
}

export const RISK_QUESTIONNAIRE_VERSIONS: readonly number[] = Object.keys(RAW).map(Number);
