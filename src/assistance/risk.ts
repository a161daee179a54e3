import type { RiskQuestionnaire } from "../products/index.ts";
import type { FieldIssue } from "../shared/errors.ts";
import type { RiskArea, RiskLevel } from "./model.ts";

/**
 * Scores a risk-tool submission exactly as service-rules.md says, in integer arithmetic:
 * area = round_half_up(100 × Σ points / Σ maxima) over the area's answered questions; overall =
 * round_half_up(mean of the area scores); level from the rounded overall. Pure.
 */
export type RiskAnswers = Readonly<Record<string, string>>;

export interface RiskTip {
  question: string;
  option: string;
  text: { nl: string; fr: string; en: string };
  source: string;
}

export interface RiskScore {
  areas: Partial<Record<RiskArea, number>>;
  overall: number;
  level: RiskLevel;
  tips: RiskTip[];
}

/** round_half_up(n / d) for n ≥ 0, d > 0. */
export function divRoundHalfUp(n: number, d: number): number {
  return Math.floor((2 * n + d) / (2 * d));
}

/** Every question answered with one of its options, no unknown keys; issues name the question. */
export function answerIssues(q: RiskQuestionnaire, answers: RiskAnswers): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const ids = new Set(q.questions.map((x) => x.id));
  for (const key of Object.keys(answers))
    if (!ids.has(key)) issues.push({ path: `answers.${key}`, message: "no such question" });
  for (const question of q.questions) {
    const a = answers[question.id];
    if (a === undefined) issues.push({ path: `answers.${question.id}`, message: "must be answered" });
    else if (!question.options.some((o) => o.id === a))
      issues.push({
        path: `answers.${question.id}`,
        message: `must be one of ${question.options.map((o) => o.id).join(", ")}`,
      });
  }
  return issues;
}

/** Scores valid answers (see answerIssues); null when every question was "not applicable". */
export function scoreRisk(q: RiskQuestionnaire, answers: RiskAnswers): RiskScore | null {
  const sums = new Map<RiskArea, { points: number; max: number }>();
  const tips: RiskTip[] = [];
  for (const question of q.questions) {
    const option = question.options.find((o) => o.id === answers[question.id]);
    if (!option || option.notApplicable) continue;
    const s = sums.get(question.area) ?? { points: 0, max: 0 };
    s.points += option.points;
    s.max += question.max;
    sums.set(question.area, s);
    if (option.points < question.max && option.tip)
      tips.push({
        question: question.id,
        option: option.id,
        text: option.tip.text,
        source: option.tip.source,
      });
  }
  if (sums.size === 0) return null;
  const areas: Partial<Record<RiskArea, number>> = {};
  let total = 0;
  for (const [area, s] of sums) {
    const score = divRoundHalfUp(100 * s.points, s.max);
    areas[area] = score;
    total += score;
  }
  const overall = divRoundHalfUp(total, sums.size);
  const level: RiskLevel = overall >= q.levels.good ? "good" : overall >= q.levels.fair ? "fair" : "at_risk";
  return { areas, overall, level, tips };
}
