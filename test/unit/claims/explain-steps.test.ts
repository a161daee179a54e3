import { describe, expect, it } from "vitest";
import { type ExplainedDecision, explainDecision } from "../../../src/claims/explain.ts";
import { defaultCatalog } from "../../../src/products/catalog.ts";

/**
 * The words of steps decideClaim seldom writes together, rendered from a stored decision: an
 * ongoing suspension, several exclusions and reasons, missing evidence, a handler's override, and
 * what happens next. Codes the product version does not know are shown as the code (never blank).
 */
const nl = defaultCatalog().get("nl-cyber", 1);
const stored: ExplainedDecision = {
  outcome: "needs_information",
  payout: 0,
  missing: ["police_report", "bank_refusal_proof"],
  explanation: [
    { step: 0, code: "section", params: { peril: "hacking", section: "Z" } },
    {
      step: 1,
      code: "cover_suspended",
      params: { incidentDate: "2026-04-12", from: "2026-04-10", until: null },
    },
    {
      step: 2,
      code: "excluded",
      params: { exclusions: ["war_or_riot", "intentional", "not_covered_peril"] },
    },
    { step: 4, code: "needs_information", params: { missing: ["police_report", "unknown_item"] } },
    { step: 8, code: "outcome", params: { reasons: ["not_in_force", "cover_suspended"] } },
    { step: 9, code: "override", params: { outcome: "approved", payout: 12_345, note: "Receipt found" } },
  ],
};
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");

describe("a stored decision's steps in words", () => {
  it("in Dutch", () => {
    const r = explainDecision(nl, "nl", stored);
    expect(r.steps.map((s) => plain(s.text))).toEqual([
      "Wat u meldt (hacking) valt onder rubriek Z: Z.",
      "Op 12 april 2026 was de dekking geschorst wegens onbetaalde premie (vanaf 10 april 2026).",
      "Uitsluiting van toepassing: molest (oorlog, opstand, oproer); opzettelijk veroorzaakte schade; deze gebeurtenis is niet verzekerd.",
      "Nodig voor een beslissing: aangifte bij de politie en unknown_item.",
      "Afgewezen: de verzekering was niet van kracht; de dekking was geschorst wegens onbetaalde premie.",
      "Een schadebehandelaar heeft de beslissing aangepast: toegekend, uitkering € 123,45. Reden: Receipt found",
    ]);
    expect(r.steps.map((s) => [s.number, s.step])).toEqual([
      [1, 0],
      [2, 1],
      [3, 2],
      [4, 4],
      [5, 8],
      [6, 9],
    ]);
    expect(r.nextStep).toBe(
      "Wat nu: stuur ons aangifte bij de politie en schriftelijk bewijs dat de bank niet vergoedt. Zodra wij dat hebben, beslissen wij opnieuw over uw claim.",
    );
  });

  it("in English", () => {
    const r = explainDecision(nl, "en", stored);
    expect(r.steps.map((s) => s.text)).toEqual([
      "What you reported (hacking) falls under section Z: Z.",
      "On 12 April 2026 cover was suspended for unpaid premium (from 10 April 2026).",
      "Exclusion applies: war, riot or civil unrest; damage caused intentionally; this peril is not covered.",
      "Needed before a decision: police report and unknown_item.",
      "Denied: the policy was not in force; cover was suspended for unpaid premium.",
      "A claims handler changed the decision: approved, payout €123.45. Reason: Receipt found",
    ]);
    expect(r.nextStep).toBe(
      "What happens next: send us police report and written proof that the bank refuses to reimburse. As soon as we have it, we decide on your claim again.",
    );
  });

  it("an approval says what is transferred", () => {
    const r = explainDecision(nl, "en", { ...stored, outcome: "approved", payout: 30_000, missing: [] });
    expect(r.nextStep).toBe("What happens next: we transfer €300.00 to your bank account.");
  });
});
