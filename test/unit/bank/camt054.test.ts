import { describe, expect, it } from "vitest";
import {
  BankFileError,
  buildCreditTransferFile,
  buildDirectDebitFile,
  decimalToCents,
  detectBankFileType,
  parseDebitCreditNotification,
} from "../../../src/bank/index.ts";
import { creditTransferInput, directDebitInput, fixture } from "./support.ts";

function bankError(fn: () => unknown): BankFileError {
  try {
    fn();
  } catch (e) {
    if (e instanceof BankFileError) return e;
    throw e;
  }
  throw new Error("expected a BankFileError");
}

describe("parseDebitCreditNotification", () => {
  it("reads a collection credit and a return with its reason code", () => {
    const { messageId, entries } = parseDebitCreditNotification(fixture("camt054-credit-and-return.xml"));
    expect(messageId).toBe("CAMT054-20250212-0001");
    expect(entries).toHaveLength(2);
    const [credit, ret] = entries;
    expect(credit).toMatchObject({
      accountIban: "NL91ABNA0417164300",
      amount: 3250,
      creditDebit: "CRDT",
      status: "BOOK",
      bookingDate: "2025-02-05",
      bankTransactionCode: "PMNT/RDDT/ESDD",
    });
    expect(credit?.transactions.map((t) => [t.endToEndId, t.amount, t.isReturn, t.creditorSchemeId])).toEqual(
      [
        ["INV-2025-000001", 1225, false, "NL57ZZZ999999999999"],
        ["INV-2025-000004", 2025, false, null],
      ],
    );
    expect(ret).toMatchObject({
      amount: 2025,
      creditDebit: "DBIT",
      bookingDate: "2025-02-12",
      reversal: false,
    });
    expect(ret?.transactions).toEqual([
      {
        endToEndId: "INV-2025-000004",
        mandateId: "MDT-000004",
        amount: 2025,
        creditDebit: "DBIT",
        isReturn: true,
        returnReasonCode: "MD06",
        // No SchmeNm here: recognised by its valid check digits.
        creditorSchemeId: "NL57ZZZ999999999999",
        debtorName: null,
        debtorIban: null,
        remittanceInformation: [],
      },
    ]);
  });

  it("reads the payer of a credit (DbtrAcct; Dbtr/Pty/Nm as in .08, Dbtr/Nm as in .02)", () => {
    // The credit of the fixture carries no payer; one is put in its related parties.
    const withPayer = (xml: string, party: string) =>
      xml.replace(
        /<RltdPties>/,
        `<RltdPties>${party}<DbtrAcct><Id><IBAN>NL20INGB0001234567</IBAN></Id></DbtrAcct>`,
      );
    const a = parseDebitCreditNotification(
      withPayer(fixture("camt054-credit-and-return.xml"), "<Dbtr><Pty><Nm>J. de Betaler</Nm></Pty></Dbtr>"),
    );
    expect(a.entries[0]?.transactions[0]).toMatchObject({
      debtorName: "J. de Betaler",
      debtorIban: "NL20INGB0001234567",
    });
    const b = parseDebitCreditNotification(
      withPayer(fixture("camt054-credit-and-return.xml"), "<Dbtr><Nm>J. de Betaler</Nm></Dbtr>"),
    );
    expect(b.entries[0]?.transactions[0]).toMatchObject({ debtorName: "J. de Betaler" });
  });

  it("reads the camt.054.001.02 layout", () => {
    const { entries } = parseDebitCreditNotification(fixture("camt054-v02-return.xml"));
    expect(entries[0]).toMatchObject({ amount: 999, status: "BOOK", bookingDate: "2025-02-12" });
    expect(entries[0]?.transactions[0]).toMatchObject({
      endToEndId: "INV-2025-000009",
      amount: 999,
      returnReasonCode: "AC04",
      creditorSchemeId: "BE68ZZZ0123456789",
    });
  });

  it("rejects an amount with three decimals and an unknown credit/debit indicator", () => {
    const xml = fixture("camt054-credit-and-return.xml")
      .replace(">32.50<", ">32.500<")
      .replace("<CdtDbtInd>DBIT</CdtDbtInd>", "<CdtDbtInd>DEBIT</CdtDbtInd>");
    const error = bankError(() => parseDebitCreditNotification(xml));
    expect(error.code).toBe("bank_file_invalid");
    expect(error.issues.map((i) => i.path)).toEqual([
      "Document.BkToCstmrDbtCdtNtfctn.Ntfctn[0].Ntry[0].Amt.#text",
      "Document.BkToCstmrDbtCdtNtfctn.Ntfctn[0].Ntry[1].CdtDbtInd",
    ]);
    expect(error.message).toContain('"32.500" is not a non-negative amount with at most two decimals');
  });

  it("rejects a notification without entries' required fields and a pain.002 handed to it", () => {
    const noStatus = fixture("camt054-v02-return.xml").replace("<Sts>BOOK</Sts>", "");
    expect(bankError(() => parseDebitCreditNotification(noStatus)).message).toContain("Ntry[0].Sts");
    const wrong = bankError(() => parseDebitCreditNotification(fixture("pain002-epc-rejects.xml")));
    expect(wrong).toMatchObject({
      code: "bank_file_unknown_type",
      message: "expected camt.054.001.08 or camt.054.001.02, got pain.002.001.10",
    });
  });
});

describe("detectBankFileType", () => {
  it("tells every supported message from its namespace", () => {
    expect(detectBankFileType(fixture("pain002-epc-rejects.xml"))).toBe("pain.002.001.10");
    expect(detectBankFileType(fixture("pain002-mixed-status.xml"))).toBe("pain.002.001.10");
    expect(detectBankFileType(fixture("camt054-credit-and-return.xml"))).toBe("camt.054.001.08");
    expect(detectBankFileType(fixture("camt054-v02-return.xml"))).toBe("camt.054.001.02");
    expect(detectBankFileType(buildDirectDebitFile(directDebitInput()))).toBe("pain.008.001.08");
    expect(detectBankFileType(buildCreditTransferFile(creditTransferInput()))).toBe("pain.001.001.09");
  });

  it("rejects other roots, missing or foreign namespaces and non-XML", () => {
    expect(bankError(() => detectBankFileType("<Invoice/>")).message).toContain("root element is <Invoice>");
    expect(bankError(() => detectBankFileType("<Document><A/></Document>")).code).toBe(
      "bank_file_unknown_type",
    );
    expect(bankError(() => detectBankFileType('<Document xmlns="urn:example"/>')).message).toContain(
      '"urn:example"',
    );
    expect(bankError(() => detectBankFileType("not xml at all")).code).toBe("bank_file_invalid");
    expect(bankError(() => detectBankFileType("")).code).toBe("bank_file_invalid");
  });
});

describe("decimalToCents", () => {
  it.each([
    ["12", 1200],
    ["12.3", 1230],
    ["0.01", 1],
    ["999999999.99", 99_999_999_999],
    ["12.345", null],
    ["-1.00", null],
    ["1e3", null],
    ["", null],
    ["12.", null],
  ])("%s → %s", (input, expected) => {
    expect(decimalToCents(input)).toBe(expected);
  });
});
