import { displayAmount } from "../shared/money.ts";
import type { ChargeLetter } from "./charge-letters.ts";
import { dutchDate, type LetterBasics } from "./letters.ts";

/**
 * The request to pay an installment by transfer after its direct debit was set aside (set-aside.ts):
 * the mandate on file can't be used in a bank file, so the policyholder pays this period by transfer
 * and is asked for a new mandate.
 */
export function setAsidePaymentRequest(
  input: LetterBasics & { payTo: { name: string; iban: string } },
): ChargeLetter {
  return {
    kind: "payment_request",
    language: "nl",
    subject: `Betaalverzoek premie polis ${input.policyNumber}`,
    body: [
      `Geachte ${input.recipient},`,
      `De premie van ${displayAmount(input.amount, "nl")} voor de periode ${dutchDate(input.periodStart)} ` +
        `tot ${dutchDate(input.periodEnd)} kunnen wij niet automatisch afschrijven: de gegevens van uw ` +
        "machtiging kunnen niet in een incasso worden gebruikt.",
      `Wij verzoeken u dit bedrag uiterlijk op ${dutchDate(input.dueDate)} over te maken naar ` +
        `${input.payTo.name}, IBAN ${input.payTo.iban}, onder vermelding van ${input.reference}.`,
      "Wilt u de premie weer automatisch laten afschrijven, geef dan in uw polisoverzicht een nieuwe machtiging af.",
      "Met vriendelijke groet,\nCyberpolis",
    ].join("\n\n"),
  };
}
