import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { DirectDebitTransaction } from "../../../src/bank/index.ts";
import { DEMO_CREDITOR } from "../../../src/billing/config.ts";
import { renderTransactions } from "../../../src/billing/run/pain008-sql/pain008-stream.ts";
import { TransactionTemplates } from "../../../src/billing/run/pain008-sql/pain008-template.ts";
import { ibanFor } from "../../db/billing/seed.ts";

const header = {
  messageId: "CP-DD-20260301-20260315",
  createdAt: new Date("2026-03-01T06:00:00Z"),
  collectionDate: "2026-03-15",
  creditor: { ...DEMO_CREDITOR },
};

// Text that exercises transliteration, escaping, whitespace and the 70/140 character cuts.
const text = fc.oneof(
  fc.constantFrom("", " ", "Klant  Müller ", "O'Brien & Zn <bv>", "Ærø ß €", "a".repeat(150)),
  fc.string({ maxLength: 80 }),
);

const transaction: fc.Arbitrary<DirectDebitTransaction> = fc.record({
  sequenceType: fc.constantFrom("FRST", "RCUR", "FNAL") as fc.Arbitrary<"FRST" | "RCUR" | "FNAL">,
  amount: fc.integer({ min: 1, max: 99_999_999_999 }),
  endToEndId: fc.constantFrom("NL-P00000001-20260301", " NL-P1-20260301 ", "A'B+C"),
  mandateId: fc.constantFrom("NL-P00000001-M0", "M'1", " M-2 "),
  mandateSignatureDate: fc.constantFrom("2026-01-01", "2026-03-15"),
  debtorName: fc.oneof(text, fc.constant("Klant 1")),
  debtorIban: fc.integer({ min: 0, max: 999 }).map((i) => ibanFor(i).toLowerCase()),
  debtorBic: fc.constantFrom(undefined, "ABNANL2A", "abna nl2a"),
  remittanceInformation: text,
});

describe("pain.008 transaction templates", () => {
  it("render a page exactly as the bank writer does, or leave it to the writer", () => {
    fc.assert(
      fc.property(fc.array(transaction, { minLength: 1, maxLength: 6 }), (txs) => {
        // A page belongs to one payment info: one sequence type, unique end-to-end ids.
        const unique = txs.map((t, i) => ({
          ...t,
          sequenceType: txs[0]!.sequenceType,
          endToEndId: `${t.endToEndId.trim()}${i}`,
        }));
        const fast = new TransactionTemplates(header, renderTransactions).renderPage(unique);
        let writer: string | null;
        try {
          writer = renderTransactions(header, unique);
        } catch {
          writer = null;
        }
        // The template never accepts what the writer rejects, and agrees byte for byte otherwise.
        if (fast !== null) expect(fast).toBe(writer);
      }),
      { numRuns: 300 },
    );
  });

  it("takes the fast path for ordinary debits", () => {
    const txs: DirectDebitTransaction[] = [1, 2, 3].map((i) => ({
      sequenceType: "RCUR",
      amount: 412 * i,
      endToEndId: `NL-P0000000${i}-20260301`,
      mandateId: `NL-P0000000${i}-M0`,
      mandateSignatureDate: "2026-01-01",
      debtorName: `Klant ${i} Müller`,
      debtorIban: ibanFor(i),
      debtorBic: i === 2 ? "ABNANL2A" : undefined,
      remittanceInformation: i === 3 ? "" : `Premie polis NL-P${i} 2026-03-01 t/m 2026-03-31`,
    }));
    expect(new TransactionTemplates(header, renderTransactions).renderPage(txs)).toBe(
      renderTransactions(header, txs),
    );
  });
});
