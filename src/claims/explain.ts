import type { ProductDefinition } from "../products/schema.ts";
import { type Cents, displayAmount } from "../shared/money.ts";
import type { ExplanationLine } from "./types.ts";

/** Both languages side by side; a tiny template helper keeps amounts formatted per language. */
export function line(
  step: number,
  code: string,
  text: (lang: "nl" | "en", eur: (c: Cents) => string) => string,
): ExplanationLine {
  return {
    step,
    code,
    nl: text("nl", (c) => displayAmount(c, "nl")),
    en: text("en", (c) => displayAmount(c, "en")),
  };
}

const REASONS: Record<string, { nl: string; en: string }> = {
  not_covered_peril: { nl: "deze gebeurtenis is niet verzekerd", en: "this peril is not covered" },
  not_covered_loss: {
    nl: "dit soort schade valt niet onder de rubriek",
    en: "this kind of loss is not covered by the section",
  },
  physical_damage: {
    nl: "fysieke beschadiging, verlies of diefstal van hardware of software is niet verzekerd",
    en: "physical damage, loss or theft of hardware or software is not covered",
  },
  loss_of_use: {
    nl: "financiële schade doordat de apparatuur niet gebruikt kon worden is niet verzekerd",
    en: "financial loss from not being able to use the device is not covered",
  },
  mechanical_defect: {
    nl: "schade door mechanische defecten is niet verzekerd",
    en: "mechanical defects are not covered",
  },
  ransom_without_consent: {
    nl: "losgeld wordt alleen vergoed na voorafgaande toestemming",
    en: "a ransom is only paid with prior consent",
  },
  bank_reimbursed: {
    nl: "frauduleuze transacties die de bank vergoedt zijn niet verzekerd",
    en: "fraudulent transactions the bank reimburses are not covered",
  },
  self_employed_income: {
    nl: "gemiste inkomsten uit een eigen bedrijf zijn niet verzekerd",
    en: "lost income from one's own business is not covered",
  },
  not_in_force: { nl: "de verzekering was niet van kracht", en: "the policy was not in force" },
  cover_suspended: {
    nl: "de dekking was geschorst wegens onbetaalde premie",
    en: "cover was suspended for unpaid premium",
  },
  below_deductible: {
    nl: "de schade valt binnen het eigen risico",
    en: "the loss does not exceed the deductible",
  },
  per_event_limit: { nl: "maximum per gebeurtenis", en: "per-event limit" },
  annual_limit: { nl: "maximum per verzekeringsjaar", en: "annual limit" },
  annual_limit_exhausted: { nl: "het jaarmaximum is bereikt", en: "the annual limit is exhausted" },
};

/** Reason codes in words; exclusions take their wording from the product definition. */
export function describeReason(code: string, lang: "nl" | "en", product: ProductDefinition): string {
  const exclusion = product.exclusions[code];
  if (exclusion) return lang === "nl" ? `uitgesloten: ${exclusion.nl}` : `excluded: ${exclusion.en}`;
  const known = REASONS[code];
  return known ? known[lang] : code;
}

export function householdName(household: string, lang: "nl" | "en"): string {
  if (household === "family") return lang === "nl" ? "gezin" : "family";
  if (household === "single") return lang === "nl" ? "alleenstaand" : "single";
  return household;
}
