import fc from "fast-check";
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import {
  buildDirectDebitFile,
  type DirectDebitTransaction,
  SEQUENCE_TYPES,
  validateXml,
} from "../../../src/bank/index.ts";
import { ValidationError } from "../../../src/shared/errors.ts";
import { directDebitInput, EPC_PAIN_008, IBANS, ISO_PAIN_008, XSD_TIMEOUT } from "./support.ts";

async function expectValidPain008(xml: string): Promise<void> {
  for (const schema of [EPC_PAIN_008, ISO_PAIN_008]) {
    const result = await validateXml(xml, schema);
    expect(result.errors, schema).toEqual([]);
    expect(result.valid).toBe(true);
  }
}

const parser = new XMLParser({
  parseTagValue: false,
  ignoreAttributes: true,
  isArray: (t) => ["PmtInf", "DrctDbtTxInf"].includes(t),
});
interface Parsed {
  Document: {
    CstmrDrctDbtInitn: {
      GrpHdr: { NbOfTxs: string; CtrlSum: string; CreDtTm: string };
      PmtInf: {
        PmtInfId: string;
        NbOfTxs: string;
        CtrlSum: string;
        PmtTpInf: { SeqTp: string };
        DrctDbtTxInf: { InstdAmt: string; Dbtr: { Nm: string }; RmtInf?: { Ustrd: string } }[];
      }[];
    };
  };
}
const parse = (xml: string) => (parser.parse(xml) as Parsed).Document.CstmrDrctDbtInitn;

/** Independent of src: decimal euros by BigInt arithmetic. */
function euros(cents: bigint): string {
  return `${cents / 100n}.${(cents % 100n).toString().padStart(2, "0")}`;
}

function errorOf(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error("expected a ValidationError");
}

describe("buildDirectDebitFile", () => {
  it("writes a file both the EPC SDD Core and the ISO schema accept", { timeout: XSD_TIMEOUT }, async () => {
    const xml = buildDirectDebitFile(directDebitInput());
    await expectValidPain008(xml);
    const doc = parse(xml);
    expect(doc.GrpHdr).toMatchObject({ NbOfTxs: "3", CtrlSum: "61.50", CreDtTm: "2025-01-28T09:30:00Z" });
    expect(doc.PmtInf.map((p) => [p.PmtInfId, p.PmtTpInf.SeqTp, p.NbOfTxs, p.CtrlSum])).toEqual([
      ["CP-2025-02-DD-FRST", "FRST", "1", "12.25"],
      ["CP-2025-02-DD-RCUR", "RCUR", "2", "49.25"],
    ]);
  });

  it("transliterates names to the SEPA character set and leaves out empty remittance text", () => {
    const doc = parse(buildDirectDebitFile(directDebitInput()));
    expect(doc.PmtInf[0]?.DrctDbtTxInf[0]?.Dbtr.Nm).toBe("Jorg Muller + Son");
    expect(doc.PmtInf[1]?.DrctDbtTxInf[1]?.RmtInf).toBeUndefined();
  });

  it("cuts names to 70 and remittance text to 140 characters", { timeout: XSD_TIMEOUT }, async () => {
    const input = directDebitInput();
    const [first] = input.transactions;
    if (!first) throw new Error("fixture");
    input.transactions = [{ ...first, debtorName: "N".repeat(100), remittanceInformation: "R ".repeat(100) }];
    const xml = buildDirectDebitFile(input);
    const tx = parse(xml).PmtInf[0]?.DrctDbtTxInf[0];
    expect(tx?.Dbtr.Nm).toHaveLength(70);
    expect(tx?.RmtInf?.Ustrd.length).toBeLessThanOrEqual(140);
    await expectValidPain008(xml);
  });

  it.each([
    [
      "invalid debtor IBAN",
      { debtorIban: "NL91ABNA0417164301" },
      "transactions[0].debtorIban",
      "not a valid IBAN",
    ],
    ["non-SEPA IBAN", { debtorIban: "BR1800360305000010009795493C1" }, "transactions[0].debtorIban", "SEPA"],
    ["bad BIC", { debtorBic: "ABNA NL" }, "transactions[0].debtorBic", "BIC"],
    ["zero amount", { amount: 0 }, "transactions[0].amount", "at least 1 cent"],
    ["fractional cents", { amount: 12.5 }, "transactions[0].amount", "integer"],
    ["EndToEndId with a space", { endToEndId: "INV 1" }, "transactions[0].endToEndId", "no spaces"],
    ["EndToEndId of 36", { endToEndId: "X".repeat(36) }, "transactions[0].endToEndId", "at most 35"],
    ["MndtId with //", { mandateId: "MDT//1" }, "transactions[0].mandateId", "'//'"],
    [
      "signature after collection",
      { mandateSignatureDate: "2025-02-06" },
      "transactions[0].mandateSignatureDate",
      "after",
    ],
    [
      "impossible date",
      { mandateSignatureDate: "2025-02-30" },
      "transactions[0].mandateSignatureDate",
      "YYYY-MM-DD",
    ],
    ["name without SEPA letters", { debtorName: "李小龍" }, "transactions[0].debtorName", "SEPA character"],
  ] satisfies [string, Partial<DirectDebitTransaction>, string, string][])(
    "rejects %s naming the field",
    (_label, change, path, message) => {
      const input = directDebitInput();
      input.transactions = input.transactions.map((t, i) => (i === 0 ? { ...t, ...change } : t));
      const error = errorOf(() => buildDirectDebitFile(input));
      expect(error.code).toBe("validation_failed");
      expect(error.issues).toContainEqual({ path, message: expect.stringContaining(message) });
    },
  );

  it("rejects an invalid creditor identifier, creditor IBAN and message id", () => {
    const error = errorOf(() =>
      buildDirectDebitFile(
        directDebitInput({
          messageId: "M".repeat(31),
          creditor: { name: "Cyberpolis", iban: "NL00ABNA0417164300", creditorId: "NL98ZZZ999999999999" },
        }),
      ),
    );
    expect(error.issues.map((i) => i.path).sort()).toEqual([
      "creditor.creditorId",
      "creditor.iban",
      "messageId",
    ]);
    expect(error.message).toContain("creditor.creditorId: is not a valid SEPA creditor identifier");
  });

  it("rejects duplicate EndToEndIds, an empty file and an invalid creation time", () => {
    const input = directDebitInput();
    input.transactions = input.transactions.map((t) => ({ ...t, endToEndId: "INV-SAME" }));
    const issues = errorOf(() => buildDirectDebitFile(input)).issues.map((i) => i.path);
    expect(issues).toEqual(["transactions[1].endToEndId", "transactions[2].endToEndId"]);
    const badTime = directDebitInput({ createdAt: new Date("nonsense") });
    expect(errorOf(() => buildDirectDebitFile(badTime)).issues[0]?.path).toBe("createdAt");
    expect(errorOf(() => buildDirectDebitFile(directDebitInput({ transactions: [] }))).issues[0]?.path).toBe(
      "transactions",
    );
  });

  it("accepts a Belgian creditor without BIC", { timeout: XSD_TIMEOUT }, async () => {
    const xml = buildDirectDebitFile(
      directDebitInput({
        creditor: { name: "Cyberpolis België", iban: "BE68539007547034", creditorId: "BE68ZZZ0123456789" },
      }),
    );
    expect(xml).toContain("<Id>BE68ZZZ0123456789</Id>");
    expect(xml).toContain("<Nm>Cyberpolis Belgie</Nm>");
    await expectValidPain008(xml);
  });

  it("property: NbOfTxs and CtrlSum are the exact count and sum, and the file validates", {
    timeout: 120_000,
  }, async () => {
    const transaction = fc.record({
      sequenceType: fc.constantFrom(...SEQUENCE_TYPES),
      amount: fc.oneof(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 99_999_999_999 })),
      mandateSignatureDate: fc.constantFrom("2020-02-29", "2024-12-31", "2025-02-05"),
      debtorName: fc.string({ unit: "grapheme", maxLength: 90 }).map((s) => `N${s}`),
      debtorIban: fc.constantFrom(...IBANS),
      debtorBic: fc.option(fc.constantFrom("ABNANL2A", "GEBABEBB", "INGBNL2AXXX"), { nil: undefined }),
      remittanceInformation: fc.string({ unit: "grapheme", maxLength: 200 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(transaction, { minLength: 1, maxLength: 30 }), async (generated) => {
        const transactions = generated.map((t, i) => ({
          ...t,
          endToEndId: `INV-${i}`,
          mandateId: `MDT-${i}`,
        }));
        const xml = buildDirectDebitFile(directDebitInput({ transactions }));
        const doc = parse(xml);
        const total = transactions.reduce((s, t) => s + BigInt(t.amount), 0n);
        expect(doc.GrpHdr.NbOfTxs).toBe(String(transactions.length));
        expect(doc.GrpHdr.CtrlSum).toBe(euros(total));
        for (const info of doc.PmtInf) {
          const own = transactions.filter((t) => t.sequenceType === info.PmtTpInf.SeqTp);
          expect(info.NbOfTxs).toBe(String(own.length));
          expect(info.CtrlSum).toBe(euros(own.reduce((s, t) => s + BigInt(t.amount), 0n)));
          expect(info.DrctDbtTxInf.map((t) => t.InstdAmt)).toEqual(own.map((t) => euros(BigInt(t.amount))));
        }
        await expectValidPain008(xml);
      }),
      { numRuns: 15, seed: 20250205 },
    );
  });
});
