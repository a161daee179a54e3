import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { answerIssues, divRoundHalfUp, scoreRisk } from "../../../src/assistance/risk.ts";
import { riskQuestionnaireOf } from "../../../src/products/risk-questionnaires.ts";

const q = riskQuestionnaireOf(1);
const AREAS = ["accounts", "devices", "backups", "phishing", "network", "family", "payments"];

/** One option index per question. */
const answers = fc
  .tuple(...q.questions.map((x) => fc.nat({ max: x.options.length - 1 })))
  .map((picks) => Object.fromEntries(q.questions.map((x, i) => [x.id, x.options[picks[i]!]!.id])));

describe("risk tool scoring", () => {
  it("has about 15 questions over the seven areas, tips for every answer below the maximum", () => {
    expect(q.questions.length).toBeGreaterThanOrEqual(14);
    expect(new Set(q.questions.map((x) => x.area))).toEqual(new Set(AREAS));
    for (const x of q.questions)
      for (const o of x.options)
        if (!o.notApplicable && o.points < x.max) expect(o.tip?.text.fr).toBeTruthy();
  });

  it("scores lie within 0–100, the level follows the overall score", () => {
    fc.assert(
      fc.property(answers, (a) => {
        expect(answerIssues(q, a)).toEqual([]);
        const s = scoreRisk(q, a)!;
        for (const v of Object.values(s.areas)) expect(v).toBeGreaterThanOrEqual(0);
        for (const v of Object.values(s.areas)) expect(v).toBeLessThanOrEqual(100);
        expect(s.overall).toBeGreaterThanOrEqual(0);
        expect(s.overall).toBeLessThanOrEqual(100);
        expect(s.level).toBe(s.overall >= 80 ? "good" : s.overall >= 50 ? "fair" : "at_risk");
      }),
    );
  });

  it("is monotone in the points: a better answer never lowers a score", () => {
    fc.assert(
      fc.property(answers, fc.nat({ max: q.questions.length - 1 }), (a, qi) => {
        const question = q.questions[qi]!;
        const current = question.options.find((o) => o.id === a[question.id])!;
        if (current.notApplicable) return;
        const better = question.options.find((o) => !o.notApplicable && o.points > current.points);
        if (!better) return;
        const before = scoreRisk(q, a)!;
        const after = scoreRisk(q, { ...a, [question.id]: better.id })!;
        expect(after.overall).toBeGreaterThanOrEqual(before.overall);
        expect(after.areas[question.area]!).toBeGreaterThanOrEqual(before.areas[question.area]!);
      }),
    );
  });

  it("rounds half up in exact arithmetic", () => {
    expect(divRoundHalfUp(100 * 1, 8)).toBe(13); // 12.5 → 13
    expect(divRoundHalfUp(100 * 1, 3)).toBe(33);
    expect(divRoundHalfUp(100 * 2, 3)).toBe(67);
    fc.assert(
      fc.property(fc.nat({ max: 10_000 }), fc.integer({ min: 1, max: 1000 }), (n, d) => {
        // BigInt reference: floor((2n + d) / 2d).
        expect(divRoundHalfUp(n, d)).toBe(Number((2n * BigInt(n) + BigInt(d)) / (2n * BigInt(d))));
      }),
      { numRuns: 200 },
    );
  });

  it("refuses a question left out, an answer outside its options and an unknown key", () => {
    const all = Object.fromEntries(q.questions.map((x) => [x.id, x.options[0]!.id]));
    const { unique_passwords: _, ...missing } = all;
    expect(answerIssues(q, missing).map((i) => i.path)).toEqual(["answers.unique_passwords"]);
    expect(answerIssues(q, { ...all, two_factor: "maybe" })[0]!.path).toBe("answers.two_factor");
    expect(answerIssues(q, { ...all, shoe_size: "42" })[0]!.path).toBe("answers.shoe_size");
  });

  it("leaves an area with only 'not applicable' answers out", () => {
    const a = Object.fromEntries(
      q.questions.map((x) => [x.id, x.area === "family" ? "not_applicable" : x.options[0]!.id]),
    );
    const s = scoreRisk(q, a)!;
    expect(s.areas.family).toBeUndefined();
    expect(Object.keys(s.areas)).toHaveLength(6);
    expect(s.overall).toBe(100);
  });
});
