import { t } from "../../shared/i18n/index.ts";
import { type ChargeLetter, composeLetter } from "./charge-letters.ts";
import { type LetterBasics, letterLocale } from "./letters.ts";

/**
 * The request to pay an installment by transfer after its direct debit was set aside (set-aside.ts):
 * the mandate on file can't be used in a bank file, so the policyholder pays this period by transfer
 * and is asked for a new mandate.
 */
export function setAsidePaymentRequest(
  input: LetterBasics & { payTo: { name: string; iban: string } },
): ChargeLetter {
  const locale = letterLocale(input);
  const say = (key: string) => t(locale, `letter.set_aside.${key}`, { ...input, ...input.payTo });
  return composeLetter(input, "payment_request", say("subject"), [
    say("unpaid"),
    say("ask"),
    say("new_mandate"),
  ]);
}
