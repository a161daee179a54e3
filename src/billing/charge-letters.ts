import type { IsoDate } from "../shared/dates.ts";
import { displayAmount } from "../shared/money.ts";
import { dutchDate, type LetterBasics } from "./letters.ts";
import { maskIban } from "./mandates.ts";

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
  language: "nl";
  subject: string;
  body: string;
}

function why(input: ChargeLetterInput): string {
  return (
    `Uw gezinssamenstelling is per ${dutchDate(input.effectiveDate)} gewijzigd. Daardoor is de premie ` +
    `voor de periode ${dutchDate(input.periodStart)} tot ${dutchDate(input.periodEnd)} ` +
    `${displayAmount(input.amount, "nl")} hoger dan wij u in rekening hebben gebracht.`
  );
}

/**
 * The SEPA pre-notification of a charge's debit (at least the pre-notification period before the
 * collection date): amount, date, mandate and the reference the debit will carry.
 */
export function chargePreNotification(
  input: ChargeLetterInput & { mandateReference: string; iban: string; creditorId: string },
): ChargeLetter {
  return {
    kind: "pre_notification",
    language: "nl",
    subject: `Aankondiging incasso aanvullende premie polis ${input.policyNumber}`,
    body: [
      `Geachte ${input.recipient},`,
      why(input),
      `Wij schrijven dit bedrag op of kort na ${dutchDate(input.dueDate)} af van rekening ${maskIban(input.iban)}, ` +
        `onder machtiging ${input.mandateReference} (incassant-ID ${input.creditorId}), met kenmerk ${input.reference}.`,
      "Bent u het niet eens met de afschrijving, dan kunt u die binnen 8 weken via uw bank laten terugboeken.",
      "Met vriendelijke groet,\nCyberpolis",
    ].join("\n\n"),
  };
}

/** The request to pay a charge by transfer, for a policyholder who pays without a mandate. */
export function chargePaymentRequest(
  input: ChargeLetterInput & { payTo: { name: string; iban: string } },
): ChargeLetter {
  return {
    kind: "payment_request",
    language: "nl",
    subject: `Betaalverzoek aanvullende premie polis ${input.policyNumber}`,
    body: [
      `Geachte ${input.recipient},`,
      why(input),
      `Wij verzoeken u dit bedrag uiterlijk op ${dutchDate(input.dueDate)} over te maken naar ` +
        `${input.payTo.name}, IBAN ${input.payTo.iban}, onder vermelding van ${input.reference}.`,
      "Met vriendelijke groet,\nCyberpolis",
    ].join("\n\n"),
  };
}
