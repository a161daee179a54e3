import fc from "fast-check";
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { buildCreditTransferFile, validateXml } from "../../../src/bank/index.ts";
import { ValidationError } from "../../../src/shared/errors.ts";
import { creditTransferInput, IBANS, ISO_PAIN_001, XSD_TIMEOUT } from "./support.ts";

async function expectValidPain001(xml: string): Promise<void> {
  const result = await validateXml(xml, ISO_PAIN_001);
  expect(result.errors).toEqual([]);
  expect(result.valid).toBe(true);
}

const parser = new XMLParser({
  parseTagValue: false,
  ignoreAttributes: true,
  isArray: (t) => t === "CdtTrfTxInf",
});
interface Parsed {
  Document: {
    CstmrCdtTrfInitn: {
      GrpHdr: { NbOfTxs: string; CtrlSum: string };
      PmtInf: {
        NbOfTxs: string;
        CtrlSum: string;
        ReqdExctnDt: { Dt: string };
        CdtTrfTxInf: { Amt: { InstdAmt: string }; Cdtr: { Nm: string }; CdtrAgt?: unknown }[];
      };
    };
  };
}
const parse = (xml: string) => (parser.parse(xml) as Parsed).Document.CstmrCdtTrfInitn;
const euros = (c: bigint) => `${c / 100n}.${(c % 100n).toString().padStart(2, "0")}`;

describe("buildCreditTransferFile", () => {
  it("writes a pain.001.001.09 the ISO schema accepts", { timeout: XSD_TIMEOUT }, async () => {
    const xml = buildCreditTransferFile(creditTransferInput());
    await expectValidPain001(xml);
    const doc = parse(xml);
    expect(doc.GrpHdr).toMatchObject({ NbOfTxs: "2", CtrlSum: "1519.99" });
    expect(doc.PmtInf.ReqdExctnDt.Dt).toBe("2025-02-04");
    expect(doc.PmtInf.CdtTrfTxInf.map((t) => [t.Amt.InstdAmt, t.Cdtr.Nm, t.CdtrAgt !== undefined])).toEqual([
      ["1500.00", "Elodie Dubois", false],
      ["19.99", "J. de Vries", true],
    ]);
  });

  it("rejects invalid input naming each field", () => {
    const input = creditTransferInput({ executionDate: "2025-13-01" });
    input.debtor = { ...input.debtor, iban: "NL91ABNA0417164399" };
    input.transactions = input.transactions.map((t) => ({ ...t, endToEndId: "CLM-SAME", amount: 0 }));
    let error: unknown;
    try {
      buildCreditTransferFile(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const paths = (error as ValidationError).issues.map((i) => i.path);
    expect(paths).toEqual([
      "executionDate",
      "debtor.iban",
      "transactions[0].amount",
      "transactions[1].amount",
      "transactions[1].endToEndId",
    ]);
  });

  it("property: NbOfTxs and CtrlSum are the exact count and sum, and the file validates", {
    timeout: 120_000,
  }, async () => {
    const transfer = fc.record({
      amount: fc.oneof(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 99_999_999_999 })),
      creditorName: fc.string({ unit: "grapheme", maxLength: 90 }).map((s) => `C${s}`),
      creditorIban: fc.constantFrom(...IBANS),
      creditorBic: fc.option(fc.constantFrom("ABNANL2A", "GEBABEBB"), { nil: undefined }),
      remittanceInformation: fc.string({ unit: "grapheme", maxLength: 200 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(transfer, { minLength: 1, maxLength: 30 }), async (generated) => {
        const transactions = generated.map((t, i) => ({ ...t, endToEndId: `CLM-${i}` }));
        const xml = buildCreditTransferFile(creditTransferInput({ transactions }));
        const doc = parse(xml);
        const total = euros(transactions.reduce((s, t) => s + BigInt(t.amount), 0n));
        expect([doc.GrpHdr.NbOfTxs, doc.GrpHdr.CtrlSum]).toEqual([String(transactions.length), total]);
        expect([doc.PmtInf.NbOfTxs, doc.PmtInf.CtrlSum]).toEqual([String(transactions.length), total]);
        await expectValidPain001(xml);
      }),
      { numRuns: 15, seed: 20250204 },
    );
  });
});
