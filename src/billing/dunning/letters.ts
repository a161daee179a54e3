import type { ProductDefinition } from "../../products/index.ts";
import { addDays, type IsoDate } from "../../shared/dates.ts";
import { hasText, type Language, listOf, localeOf, t } from "../../shared/i18n/index.ts";
import type { Cents } from "../../shared/money.ts";

/** What every premium letter names: whom, which policy and period, how much, by when. */
export interface LetterBasics {
  policyNumber: string;
  recipient: string;
  reference: string;
  amount: Cents;
  periodStart: IsoDate;
  periodEnd: IsoDate;
  letterDate: IsoDate;
  dueDate: IsoDate;
  /** The policyholder's language: the whole letter is written in it. */
  language: Language;
  /** Where the policyholder lives, for the locale's dates and amounts (nl-NL, nl-BE, fr-BE). */
  country: string;
}

/** One unpaid period of a letter that names several (arrears). */
export interface UnpaidPeriod {
  reference: string;
  amount: Cents;
  periodStart: IsoDate;
  periodEnd: IsoDate;
  dueDate: IsoDate;
}

export interface LetterInput extends LetterBasics {
  product: Pick<ProductDefinition, "premiumDefault">;
  returnReason: string | null;
  payTo: { name: string; iban: string };
  /**
   * Arrears of several periods go in one letter per policy: then every unpaid period, the one in
   * `LetterBasics` among them, and `amount` is their total.
   */
  periods?: UnpaidPeriod[];
}

export interface Letter {
  kind: "reminder" | "formal_notice";
  language: Language;
  subject: string;
  body: string;
  /** The first day without cover if the premium is still unpaid. */
  suspensionFrom: IsoDate;
}

/** The locale a letter writes its dates and amounts in. */
export function letterLocale(input: Pick<LetterBasics, "language" | "country">): string {
  return localeOf(input.language, input.country);
}

/** Why the bank gave a direct debit back, in words (SEPA reason codes), or a pointer to the statement. */
function returned(locale: string, language: Language, code: string): string {
  const known = `letter.returnReason.${code}`;
  const why = t(locale, hasText(language, known) ? known : "letter.returnReason.other");
  return t(locale, "letter.returned", { code, why });
}

/**
 * The reminder (NL, art. 7:934 BW) or formal notice (BE, ingebrekestelling) for unpaid premium.
 * The term and the first day of suspension come from the product's premiumDefault, the same
 * numbers that decide claims, so the letter can't promise a different date than the platform keeps.
 */
export function premiumDefaultLetter(input: LetterInput): Letter {
  const { notice, suspendAfterDays, legalBasis } = input.product.premiumDefault;
  const locale = letterLocale(input);
  const suspensionFrom = addDays(input.letterDate, suspendAfterDays);
  const lastDay = addDays(suspensionFrom, -1);
  const say = (key: string, params: Record<string, unknown> = {}) =>
    t(locale, `letter.${notice}.${key}`, { ...input, ...params });
  const several = input.periods !== undefined && input.periods.length > 1;
  const unpaid = several
    ? [
        t(locale, "letter.arrears", { count: input.periods!.length, total: input.amount }),
        ...input.periods!.map((p) => `- ${t(locale, "letter.arrearsPeriod", p)}`),
      ].join("\n")
    : [say("unpaid"), input.returnReason ? returned(locale, input.language, input.returnReason) : ""]
        .join(" ")
        .trim();
  const references = several
    ? listOf(
        locale,
        input.periods!.map((p) => p.reference),
      )
    : input.reference;
  const payTo = t(locale, "letter.payTo", { ...input.payTo, reference: references });
  // The formal notice counts the term from the day after it is served; the reminder from its date.
  const term = suspendAfterDays - 1;
  return {
    kind: notice,
    language: input.language,
    suspensionFrom,
    subject: say("subject"),
    body: [
      t(locale, "letter.greeting", { recipient: input.recipient }),
      unpaid,
      `${say("demand", { term, lastDay })} ${payTo}`,
      `${say("consequence", { term, days: suspendAfterDays, suspensionFrom })} ${t(locale, "letter.resumes")}`,
      `(${legalBasis[input.language]})`,
      t(locale, "letter.closing"),
    ].join("\n\n"),
  };
}
