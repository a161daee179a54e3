import { describe, expect, it } from "vitest";
import { BankFileError, parsePaymentStatusReport, validateXml } from "../../../src/bank/index.ts";
import { EPC_PAIN_002, fixture, XSD_TIMEOUT } from "./support.ts";

function bankError(fn: () => unknown): BankFileError {
  try {
    fn();
  } catch (e) {
    if (e instanceof BankFileError) return e;
    throw e;
  }
  throw new Error("expected a BankFileError");
}

describe("parsePaymentStatusReport", () => {
  it("reads the EPC rejection report, which validates against the EPC schema", {
    timeout: XSD_TIMEOUT,
  }, async () => {
    const xml = fixture("pain002-epc-rejects.xml");
    expect(await validateXml(xml, EPC_PAIN_002)).toEqual({ valid: true, errors: [] });
    const report = parsePaymentStatusReport(xml);
    expect(report).toMatchObject({
      messageId: "BANK-STS-20250203-0001",
      originalMessageId: "CP-2025-02-DD",
      originalMessageType: "pain.008.001.08",
      originalNumberOfTransactions: 3,
      originalControlSum: 6150,
      groupStatus: null,
    });
    expect(report.transactions).toEqual([
      {
        originalPaymentInfoId: "CP-2025-02-DD-RCUR",
        originalEndToEndId: "INV-2025-000002",
        status: "RJCT",
        reasonCode: "AM04",
        additionalInformation: [],
        amount: 2025,
        mandateId: "MDT-000002",
        requestedCollectionDate: "2025-02-05",
      },
      {
        originalPaymentInfoId: "CP-2025-02-DD-RCUR",
        originalEndToEndId: "INV-2025-000003",
        status: "RJCT",
        reasonCode: "MD06",
        additionalInformation: [],
        amount: 2900,
        mandateId: "MDT-000003",
        requestedCollectionDate: "2025-02-05",
      },
    ]);
  });

  it("reads one accepted and two rejected transactions from a prefixed ISO report", {
    timeout: XSD_TIMEOUT,
  }, async () => {
    const xml = fixture("pain002-mixed-status.xml");
    const report = parsePaymentStatusReport(xml);
    expect(report.groupStatus).toBe("PART");
    expect(report.transactions.map((t) => [t.originalEndToEndId, t.status, t.reasonCode, t.amount])).toEqual([
      ["INV-2025-000001", "ACCP", null, 1225],
      ["INV-2025-000002", "RJCT", "AM04", 2025],
      ["INV-2025-000003", "RJCT", "MD06", null],
    ]);
    expect(report.transactions[1]?.additionalInformation).toEqual(["Insufficient funds"]);
    // The EPC subset only knows RJCT: positive reports must not be gated on the EPC schema.
    const epc = await validateXml(xml, EPC_PAIN_002);
    expect(epc.valid).toBe(false);
    expect(epc.errors.join("\n")).toContain("The value 'ACCP' is not an element of the set {'RJCT'}");
  });

  it("gives transactions without a status their payment info's status and reason", () => {
    const xml = fixture("pain002-mixed-status.xml")
      .replace(
        "<p:OrgnlPmtInfId>CP-2025-02-DD-RCUR</p:OrgnlPmtInfId>",
        "$&<p:PmtInfSts>RJCT</p:PmtInfSts><p:StsRsnInf><p:Rsn><p:Cd>MS02</p:Cd></p:Rsn></p:StsRsnInf>",
      )
      .replace("<p:TxSts>ACCP</p:TxSts>", "");
    const [first] = parsePaymentStatusReport(xml).transactions;
    expect(first).toMatchObject({
      originalEndToEndId: "INV-2025-000001",
      status: "RJCT",
      reasonCode: "MS02",
    });
  });

  it("validateXml reports schema and well-formedness errors instead of throwing", {
    timeout: XSD_TIMEOUT,
  }, async () => {
    const broken = await validateXml(
      fixture("pain002-epc-rejects.xml").replace("</GrpHdr>", ""),
      EPC_PAIN_002,
    );
    expect(broken.valid).toBe(false);
    expect(broken.errors.join("\n")).toContain("parser error");
    const noMandate = await validateXml(
      fixture("pain002-epc-rejects.xml").replace(/<MndtRltdInf>[\s\S]*?<\/MndtRltdInf>/, ""),
      EPC_PAIN_002,
    );
    expect(noMandate.errors.join("\n")).toContain("MndtRltdInf");
  });

  it("rejects an amount with three decimals, naming where", () => {
    const xml = fixture("pain002-epc-rejects.xml").replace(">20.25<", ">20.255<");
    const error = bankError(() => parsePaymentStatusReport(xml));
    expect(error.code).toBe("bank_file_invalid");
    expect(error.issues).toEqual([
      {
        path: "Document.CstmrPmtStsRpt.OrgnlPmtInfAndSts[0].TxInfAndSts[0].OrgnlTxRef.Amt.InstdAmt.#text",
        message: '"20.255" is not a non-negative amount with at most two decimals',
      },
    ]);
  });

  it("rejects a transaction without OrgnlEndToEndId and a non-EUR amount", () => {
    const xml = fixture("pain002-epc-rejects.xml")
      .replace("<OrgnlEndToEndId>INV-2025-000003</OrgnlEndToEndId>", "")
      .replace('Ccy="EUR">20.25', 'Ccy="USD">20.25');
    const error = bankError(() => parsePaymentStatusReport(xml));
    expect(error.message).toContain("TxInfAndSts[1].OrgnlEndToEndId");
    expect(error.message).toContain("TxInfAndSts[0].OrgnlTxRef.Amt.InstdAmt: currency must be EUR");
  });

  it("rejects malformed XML, a DOCTYPE and the wrong message", () => {
    const malformed = bankError(() =>
      parsePaymentStatusReport(fixture("pain002-epc-rejects.xml").replace("</GrpHdr>", "")),
    );
    expect(malformed.code).toBe("bank_file_invalid");
    expect(malformed.message).toMatch(/^not well-formed XML \(line \d+, column \d+\)/);

    const doctype = bankError(() =>
      parsePaymentStatusReport('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><Document/>'),
    );
    expect(doctype.message).toContain("DOCTYPE");

    const camt = bankError(() => parsePaymentStatusReport(fixture("camt054-credit-and-return.xml")));
    expect(camt.code).toBe("bank_file_unknown_type");
    expect(camt.message).toBe("expected pain.002.001.10, got camt.054.001.08");

    const old = fixture("pain002-epc-rejects.xml").replace("pain.002.001.10", "pain.002.001.03");
    expect(bankError(() => parsePaymentStatusReport(old)).message).toContain(
      'unsupported bank file namespace "urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"',
    );
  });
});
