import type { IsoDate } from "../../shared/dates.ts";
import { type Language, t } from "../../shared/i18n/index.ts";
import { maskIban } from "../mandates.ts";
import { type LetterBasics, letterLocale } from "./letters.ts";

/**
 * The period is the invoiced one the correction is about; `dueDate` the debit's collection date,
 * or the date a transfer is due.
 */
export interface ChargeLetterInput extends LetterBasics {
  /** The date of the household change the charge corrects for. */
  effectiveDate: IsoDate;
}

export interface ChargeLetter {
  kind: "pre_notification" | "payment_request";
  language: Language;
  subject: string;
  body: string;
}

/** A letter of greeting, the paragraphs given and the closing, all in the policyholder's language. */
export function composeLetter<K extends ChargeLetter["kind"]>(
  input: Pick<LetterBasics, "language" | "country" | "recipient">,
  kind: K,
  subject: string,
  paragraphs: string[],
): ChargeLetter & { kind: K } {
  const locale = letterLocale(input);
  return {
    kind,
    language: input.language,
    subject,
    body: [
      t(locale, "letter.greeting", { recipient: input.recipient }),
      ...paragraphs,
      t(locale, "letter.closing"),
    ].join("\n\n"),
  };
}

/**
 * The SEPA pre-notification of a charge's debit (at least the pre-notification period before the
 * collection date): amount, date, mandate and the reference the debit will carry.
 */
export function chargePreNotification(
  input: ChargeLetterInput & { mandateReference: string; iban: string; creditorId: string },
): ChargeLetter {
  const locale = letterLocale(input);
  const say = (key: string) =>
    t(locale, `letter.charge.pre_notification.${key}`, { ...input, iban: maskIban(input.iban) });
  return composeLetter(input, "pre_notification", say("subject"), [
    t(locale, "letter.charge.why", input),
    say("debit"),
    say("refund"),
  ]);
}

/** The request to pay a charge by transfer, for a policyholder who pays without a mandate. */
export function chargePaymentRequest(
  input: ChargeLetterInput & { payTo: { name: string; iban: string } },
): ChargeLetter {
  const locale = letterLocale(input);
  const say = (key: string) =>
    t(locale, `letter.charge.payment_request.${key}`, { ...input, ...input.payTo });
  return composeLetter(input, "payment_request", say("subject"), [
    t(locale, "letter.charge.why", input),
    say("ask"),
  ]);
}
