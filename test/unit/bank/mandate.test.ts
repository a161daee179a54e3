import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildDirectDebitFile } from "../../../src/bank/index.ts";
import { mandateIssues } from "../../../src/billing/mandates.ts";
import { ValidationError } from "../../../src/shared/errors.ts";
import { directDebitInput, IBANS } from "./support.ts";

/**
 * Issue 10 item 1: the registration of a mandate and the pain.008 writer apply one rule
 * (src/bank/mandate.ts), so whatever registers can be collected and whatever can't is refused at
 * the door. Registration on day D accepts exactly the mandates a file collected on D accepts.
 */

const names = fc.oneof(
  fc.constantFrom(
    "Alice Aalders",
    "Zoë van 't Hoff",
    "Ñúñez & Zoon",
    "😀",
    "١٢٣",
    " ",
    "Łukasz Øster",
    "李小龍",
  ),
  fc.string({ maxLength: 80 }),
  fc.string({ unit: "grapheme", maxLength: 80 }),
);
const ibans = fc.oneof(
  fc.constantFrom(...IBANS),
  fc.constantFrom(
    "BR1800360305000010009795493C1",
    "TR330006100519786457841326",
    "SA0380000000608010167519",
    "NL91ABNA0417164301",
    "nl91 abna 0417 1643 00",
    "",
  ),
  fc.string({ maxLength: 34 }),
);
const dates = fc.oneof(
  fc.constantFrom("2025-02-05", "2025-02-06", "9999-12-31", "0000-01-01", "2025-02-30", "2008-11-02"),
  fc
    .date({ min: new Date("1900-01-01"), max: new Date("2100-01-01"), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)),
);
const bics = fc.option(fc.constantFrom("ABNANL2A", "abna nl 2a", "DEUTDEFF500", "XXXX", "ABNAXX2A"), {
  nil: undefined,
});

describe("the mandate rule of registration and of the pain.008 writer", () => {
  it("accepts exactly the same mandates", () => {
    fc.assert(
      fc.property(names, ibans, dates, bics, (accountHolder, iban, signedOn, bic) => {
        const today = "2025-02-05";
        const registered = mandateIssues({ accountHolder, iban, signedOn, bic }, today, "", "NL-P1-M0");
        let written: boolean;
        try {
          buildDirectDebitFile(
            directDebitInput({
              collectionDate: today,
              transactions: [
                {
                  sequenceType: "FRST",
                  amount: 412,
                  endToEndId: "NL-P1-20250201",
                  mandateId: "NL-P1-M0",
                  mandateSignatureDate: signedOn,
                  debtorName: accountHolder,
                  debtorIban: iban,
                  debtorBic: bic,
                  remittanceInformation: "Premie",
                },
              ],
            }),
          );
          written = true;
        } catch (e) {
          if (!(e instanceof ValidationError)) throw e;
          written = false;
        }
        expect(registered.length === 0).toBe(written);
      }),
      { numRuns: 2000 },
    );
  });

  it("names the field and the writer's reason", () => {
    const ok = { accountHolder: "Alice", iban: "NL91ABNA0417164300", signedOn: "2025-02-01" };
    expect(mandateIssues({ ...ok, accountHolder: "😀" }, "2025-02-05", "mandate.")).toEqual([
      { path: "mandate.accountHolder", message: "must contain at least one SEPA character" },
    ]);
    expect(mandateIssues({ ...ok, signedOn: "9999-12-31" }, "2025-02-05")).toEqual([
      { path: "signedOn", message: "is after today 2025-02-05" },
    ]);
    expect(mandateIssues({ ...ok, iban: "SA0380000000608010167519" }, "2025-02-05")).toEqual([
      { path: "iban", message: "is not an IBAN of a SEPA country" },
    ]);
    expect(mandateIssues(ok, "2025-02-05")).toEqual([]);
  });
});
