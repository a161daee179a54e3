import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { BankFileError } from "../../../src/bank/errors.ts";
import {
  buildDirectDebitFile,
  checkDirectDebitFile,
  type DirectDebitTransaction,
} from "../../../src/bank/index.ts";
import { directDebitInput, IBANS } from "./support.ts";

/** Issue 10 item 2: a pain.008 is read back from disk before it counts as written. */

const dir = mkdtempSync(join(tmpdir(), "cp-pain008-check-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function onDisk(xml: string): string {
  const path = join(dir, `f${n++}.xml`);
  writeFileSync(path, xml);
  return path;
}

const transaction = fc.record({
  sequenceType: fc.constantFrom("FRST", "RCUR", "OOFF", "FNAL" as const),
  amount: fc.integer({ min: 1, max: 99_999_999_999 }),
  debtorName: fc.constantFrom("Alice", "O'Brien & Zoon", "Zoë <Ltd>"),
  debtorIban: fc.constantFrom(...IBANS),
});
const files = fc.array(transaction, { minLength: 1, maxLength: 12 }).map((txs) => {
  const transactions: DirectDebitTransaction[] = txs.map((t, i) => ({
    ...t,
    endToEndId: `E2E-${i}`,
    mandateId: `M-${i}`,
    mandateSignatureDate: "2025-01-01",
    remittanceInformation: `Premie ${i}`,
  }));
  return { xml: buildDirectDebitFile(directDebitInput({ transactions })), transactions };
});

const refused = (path: string, block?: number) => {
  try {
    checkDirectDebitFile(path, block);
  } catch (e) {
    return e instanceof BankFileError && e.code === "bank_file_invalid";
  }
  return false;
};

describe("checkDirectDebitFile", () => {
  it("reads the writer's files back with their counts and sums, whatever the block size", () => {
    fc.assert(
      fc.property(files, fc.integer({ min: 1, max: 300 }), ({ xml, transactions }, block) => {
        const total = transactions.reduce((s, t) => s + t.amount, 0);
        const check = checkDirectDebitFile(onDisk(xml), block);
        expect(check.transactions).toBe(transactions.length);
        expect(check.total).toBe(total);
        expect(check.paymentInfos.reduce((s, p) => s + p.transactions, 0)).toBe(transactions.length);
      }),
      { numRuns: 100 },
    );
  });

  it("refuses every truncation of a file, as the overlapping runs wrote them", () => {
    fc.assert(
      fc.property(files, fc.double({ min: 0, max: 1, noNaN: true }), ({ xml }, at) => {
        const cut = Math.min(xml.length - 1, Math.floor(at * xml.length));
        // Whitespace after the root's end tag is all a file may lose and stay whole.
        fc.pre(xml.slice(0, cut).trimEnd() !== xml.trimEnd());
        expect(refused(onDisk(xml.slice(0, cut)), 64)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("refuses a head that disagrees with its transactions, and markup that is not well-formed", () => {
    const { xml } = fc.sample(files, { numRuns: 1, seed: 7 })[0]!;
    const count = /<NbOfTxs>(\d+)<\/NbOfTxs>/.exec(xml)![1]!;
    const cases = [
      xml.replace(`<NbOfTxs>${count}</NbOfTxs>`, `<NbOfTxs>${Number(count) + 1}</NbOfTxs>`),
      xml.replace(/<CtrlSum>(\d+)\./, (_m, d) => `<CtrlSum>${Number(d) + 1}.`),
      xml.replace("</DrctDbtTxInf>", "</DrctDbtTx>"),
      xml.replace("<Dbtr>", "<Dbtr a=1>"),
      xml.replace("<Nm>", "<Nm>& "),
      xml.replace("<GrpHdr>", "<!-- x --><GrpHdr>"),
      `${xml}<Document/>`,
      xml.replace("</DrctDbtTxInf>", "</DrctDbtTxInf></PmtInf><PmtInf>"),
    ];
    for (const c of cases) expect(refused(onDisk(c), 100)).toBe(true);
    expect(refused(onDisk(xml))).toBe(false);
  });
});
