import { describe, expect, it } from "vitest";
import { type ScheduleInput, scheduleContent } from "../../../src/documents/schedule.ts";
import { defaultCatalog } from "../../../src/products/catalog.ts";

/**
 * The policy schedule's words and figures (issue 17: the pure renderer mutated): a policy bound
 * single, family from 16 March, paid quarterly by transfer (18.90 × 4 = 75.60 a year, of which
 * 3.60 is the 5% surcharge), ending 1 December; then the same policy yearly with a mandate.
 */
const nl = defaultCatalog().get("nl-cyber", 1);
const input: ScheduleInput = {
  product: nl,
  language: "en",
  insurer: "Cyberpolis Verzekeringen N.V.",
  policy: {
    number: "NL-000123",
    version: 2,
    startDate: "2026-01-01",
    endDate: "2026-12-01",
    household: "single",
    inForce: "family",
    householdChanges: [{ effectiveDate: "2026-03-16", household: "family" }],
    paymentFrequency: "quarterly",
    paymentMethod: "bank_transfer",
  },
  holder: { name: "Alice Aalders", email: "alice@example.org" },
  mandate: null,
  asOf: "2026-03-16",
  answers: [{ question: "Q1?", answer: "Yes" }],
};
const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v).replace(/[\u00a0\u202f]/g, " "));

describe("the policy schedule", () => {
  it("in English: who, what, from when, the premium with its surcharge, no mandate, the limits of the family", () => {
    expect(plain(scheduleContent(input))).toEqual({
      layout: "schedule",
      language: "en",
      locale: "en-IE",
      insurer: "Cyberpolis Verzekeringen N.V.",
      title: "Policy schedule",
      subject: "Policy schedule, policy NL-000123",
      intro: "This schedule shows your insurance as it stands from 16 March 2026 (policy version 2).",
      date: "2026-03-16",
      rows: [
        ["Policy number", "NL-000123"],
        ["Policyholder", "Alice Aalders"],
        ["E-mail address", "alice@example.org"],
        ["Product", "Cyber insurance (product version 1)"],
        ["Household", "single; from 16 March 2026: family"],
        ["Start date", "1 January 2026"],
        ["End date", "1 December 2026"],
        ["Payment frequency", "Quarterly"],
        ["Payment method", "bank transfer"],
        ["Premium per installment", "€18.90 (4 × a year)"],
        ["Installment surcharge", "€3.60 a year (5%)"],
        ["Total a year", "€75.60"],
        ["Mandate", "none"],
      ],
      limitsTitle: "Sums insured and deductibles",
      limits: [
        ["A. Cyber helpline", "no cash limit, no deductible"],
        ["B. Online cyber-risk tool", "no cash limit, no deductible"],
        ["C. Damage from hacking", "up to €2,500.00 a year; deductible €50.00 per event"],
        ["D. Cyber extortion", "up to €5,000.00 a year; deductible €50.00 per event"],
        [
          "E. Online purchase fraud",
          "up to €2,500.00 a year, up to €1,500.00 per event; deductible €50.00 per event",
        ],
        [
          "F. Social engineering",
          "up to €5,000.00 a year, up to €1,500.00 per event; deductible €50.00 per event",
        ],
        ["G. Cyberbullying", "up to €5,000.00 a year; deductible €100.00 per event"],
        [
          "H. Identity theft",
          "up to €5,000.00 a year, up to €2,500.00 per event; deductible €100.00 per event",
        ],
      ],
      answersTitle: "Your answers in the application",
      answers: [["Q1?", "Yes"]],
      noAnswers: "No questions were asked in the application.",
    });
  });

  it("in Dutch, yearly with a mandate: no surcharge, no end date, no e-mail row", () => {
    const c = scheduleContent({
      ...input,
      language: "nl",
      policy: { ...input.policy, endDate: null, householdChanges: [], paymentFrequency: "annual" },
      holder: { name: "A", email: null },
      mandate: { reference: "M-1", maskedIban: "NL91**********4300", accountHolder: "Alice Aalders" },
      answers: [],
    });
    expect(plain(c.rows)).toEqual([
      ["Polisnummer", "NL-000123"],
      ["Verzekeringnemer", "A"],
      ["Product", "Cyberverzekering (productversie 1)"],
      ["Gezinssamenstelling", "alleenstaand"],
      ["Ingangsdatum", "1 januari 2026"],
      ["Betaaltermijn", "Per jaar"],
      ["Betaalwijze", "overschrijving"],
      ["Premie per termijn", "€ 72,00 (1 × per jaar)"],
      ["Premieopslag", "geen"],
      ["Totaal per jaar", "€ 72,00"],
      ["Machtiging", "M-1, IBAN NL91**********4300, Alice Aalders"],
    ]);
    expect(plain(c.limits[2])).toEqual([
      "C. Schade door hacking",
      "maximaal € 2.500,00 per jaar; eigen risico € 50,00 per gebeurtenis",
    ]);
    expect(c.answers).toEqual([]);
    expect(c.noAnswers).toBe("Er zijn bij de aanvraag geen vragen gesteld.");
  });
});
