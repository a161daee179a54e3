import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildDirectDebitFile,
  type DirectDebitTransaction,
  SEQUENCE_TYPES,
  validateXml,
} from "../../../src/bank/index.ts";
import { DEMO_CREDITOR } from "../../../src/billing/config.ts";
import { type StreamedGroup, writeDirectDebitFile } from "../../../src/billing/pain008-stream.ts";
import { ibanFor } from "../../db/billing/seed.ts";

const EPC_XSD = join(import.meta.dirname, "../../../../shared/xsd/EPC130-08_2025_V1.0_pain.008.001.08.xsd");
const header = {
  messageId: "CP-DD-20260301-20260315",
  createdAt: new Date("2026-03-01T06:00:00Z"),
  collectionDate: "2026-03-15",
  creditor: { ...DEMO_CREDITOR },
};

const transaction = (
  i: number,
  seq: DirectDebitTransaction["sequenceType"],
  amount: number,
): DirectDebitTransaction => ({
  sequenceType: seq,
  amount,
  endToEndId: `NL-P${String(i).padStart(8, "0")}-20260301`,
  mandateId: `NL-P${String(i).padStart(8, "0")}-M0`,
  mandateSignatureDate: "2026-01-01",
  debtorName: `Klant ${i} Müller`,
  debtorIban: ibanFor(i),
  remittanceInformation: `Premie polis NL-P${i} 2026-03-01 t/m 2026-03-31`,
});

function groupsOf(txs: DirectDebitTransaction[], pageSize: number): StreamedGroup[] {
  return SEQUENCE_TYPES.flatMap((seq) => {
    const list = txs.filter((t) => t.sequenceType === seq);
    if (list.length === 0) return [];
    return [
      {
        sequenceType: seq,
        count: list.length,
        total: list.reduce((n, t) => n + t.amount, 0),
        pages: async function* () {
          for (let i = 0; i < list.length; i += pageSize) yield list.slice(i, i + pageSize);
        },
      },
    ];
  });
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cp-pain008-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("streamed pain.008", () => {
  it("is byte for byte the bank writer's file, whatever the paging", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            fc.constantFrom("FRST", "RCUR", "FNAL") as fc.Arbitrary<"FRST" | "RCUR" | "FNAL">,
            fc.integer({ min: 1, max: 99_999 }),
          ),
          { minLength: 1, maxLength: 30 },
        ),
        fc.integer({ min: 1, max: 7 }),
        async (specs, pageSize) => {
          const txs = specs.map(([seq, amount], i) => transaction(i, seq, amount));
          const ordered = SEQUENCE_TYPES.flatMap((s) => txs.filter((t) => t.sequenceType === s));
          const path = join(dir, "stream.xml");
          await writeDirectDebitFile(path, header, groupsOf(ordered, pageSize));
          expect(await readFile(path, "utf8")).toBe(
            buildDirectDebitFile({ ...header, transactions: ordered }),
          );
        },
      ),
      { numRuns: 40 },
    );
  });

  it("validates against the EPC SDD Core pain.008.001.08 schema", async () => {
    const txs = Array.from({ length: 25 }, (_, i) => transaction(i, i % 3 === 0 ? "FRST" : "RCUR", 412 + i));
    const path = join(dir, "valid.xml");
    await writeDirectDebitFile(path, header, groupsOf(txs, 4));
    const result = await validateXml(await readFile(path, "utf8"), EPC_XSD);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("names the invoice whose debtor data is wrong and leaves no file behind", async () => {
    const bad = { ...transaction(3, "RCUR", 412), debtorIban: "NL00ABNA0000000003" };
    const path = join(dir, "bad.xml");
    await expect(
      writeDirectDebitFile(path, header, groupsOf([transaction(1, "RCUR", 412), bad], 10)),
    ).rejects.toThrow(/invoice NL-P00000003-20260301 debtorIban/);
    await expect(readFile(path)).rejects.toThrow();
  });
});
