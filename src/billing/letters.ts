import type { ProductDefinition } from "../products/schema.ts";
import { addDays, type IsoDate, toPlain } from "../shared/dates.ts";
import { type Cents, displayAmount } from "../shared/money.ts";

/** Why a bank gave a direct debit back, in the words the letter uses (SEPA reason codes). */
const RETURN_REASONS: Record<string, string> = {
  AC01: "het rekeningnummer is onjuist",
  AC04: "de rekening is opgeheven",
  AC06: "de rekening is geblokkeerd",
  AG01: "op deze rekening zijn geen incasso's toegestaan",
  AM04: "er was onvoldoende saldo",
  MD01: "er is geen geldige machtiging",
  MD06: "u heeft de afschrijving laten terugboeken",
  MD07: "de rekeninghouder is overleden",
  MS02: "u heeft de afschrijving geweigerd",
  MS03: "de bank heeft de afschrijving geweigerd",
  SL01: "uw bank heeft de afschrijving geblokkeerd",
};

const MONTHS = [
  "januari",
  "februari",
  "maart",
  "april",
  "mei",
  "juni",
  "juli",
  "augustus",
  "september",
  "oktober",
  "november",
  "december",
];

/** "15 maart 2026": dates in a Dutch letter are written out, never as ISO strings. */
export function dutchDate(date: IsoDate): string {
  const d = toPlain(date);
  return `${d.day} ${MONTHS[d.month - 1]} ${d.year}`;
}

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
}

export interface LetterInput extends LetterBasics {
  product: Pick<ProductDefinition, "premiumDefault">;
  returnReason: string | null;
  payTo: { name: string; iban: string };
}

export interface Letter {
  kind: "reminder" | "formal_notice";
  language: "nl";
  subject: string;
  body: string;
  /** The first day without cover if the premium is still unpaid. */
  suspensionFrom: IsoDate;
}

/**
 * The reminder (NL, art. 7:934 BW) or formal notice (BE, ingebrekestelling) for unpaid premium.
 * The term and the first day of suspension come from the product's premiumDefault, the same
 * numbers that decide claims, so the letter can't promise a different date than the platform keeps.
 */
export function premiumDefaultLetter(input: LetterInput): Letter {
  const { notice, suspendAfterDays, legalBasis } = input.product.premiumDefault;
  const suspensionFrom = addDays(input.letterDate, suspendAfterDays);
  const lastDay = addDays(suspensionFrom, -1);
  const amount = displayAmount(input.amount, "nl");
  const period = `${dutchDate(input.periodStart)} tot ${dutchDate(input.periodEnd)}`;
  const returned = input.returnReason
    ? `Uw bank heeft de incasso van dit bedrag teruggeboekt (reden ${input.returnReason}: ${
        RETURN_REASONS[input.returnReason] ?? "zie uw bankafschrift"
      }). `
    : "";
  const payment =
    `Maak het bedrag over naar ${input.payTo.name}, IBAN ${input.payTo.iban}, ` +
    `onder vermelding van ${input.reference}.`;
  const resumes = "De dekking gaat weer in op de dag na de dag waarop wij de premie ontvangen.";
  if (notice === "formal_notice") {
    const term = suspendAfterDays - 1;
    return {
      kind: notice,
      language: "nl",
      suspensionFrom,
      subject: `Ingebrekestelling: onbetaalde premie polis ${input.policyNumber}`,
      body: [
        `Geachte ${input.recipient},`,
        `Wij hebben de premie van ${amount} voor de periode ${period}, vervallen op ${dutchDate(input.dueDate)}, niet ontvangen. ${returned}`.trim(),
        `Met deze brief stellen wij u in gebreke. U heeft een termijn van ${term} dagen vanaf de dag na de betekening van deze ingebrekestelling om de premie te betalen, dus uiterlijk op ${dutchDate(lastDay)}. ${payment}`,
        `Is de premie na afloop van die termijn niet betaald, dan wordt uw dekking geschorst vanaf ${dutchDate(suspensionFrom)}. Schadegevallen die zich voordoen terwijl de dekking geschorst is, zijn niet verzekerd. ${resumes}`,
        `(${legalBasis})`,
        "Met vriendelijke groet,\nCyberpolis",
      ].join("\n\n"),
    };
  }
  return {
    kind: notice,
    language: "nl",
    suspensionFrom,
    subject: `Herinnering: onbetaalde premie polis ${input.policyNumber}`,
    body: [
      `Geachte ${input.recipient},`,
      `Wij hebben de premie van ${amount} voor de periode ${period}, vervallen op ${dutchDate(input.dueDate)}, nog niet ontvangen. ${returned}`.trim(),
      `Wij verzoeken u de premie alsnog te betalen, uiterlijk op ${dutchDate(lastDay)}. ${payment}`,
      `Let op: is de premie ${suspendAfterDays - 1} dagen na de dag van deze herinnering nog niet betaald, dan is uw dekking geschorst vanaf ${dutchDate(suspensionFrom)}, de ${suspendAfterDays}e dag na deze herinnering. Schades die ontstaan terwijl de dekking geschorst is, zijn niet verzekerd. ${resumes}`,
      `(${legalBasis})`,
      "Met vriendelijke groet,\nCyberpolis",
    ].join("\n\n"),
  };
}
