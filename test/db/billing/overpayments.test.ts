import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateXml } from "../../../src/bank/index.ts";
import { billingConfig } from "../../../src/billing/config.ts";
import { runBilling } from "../../../src/billing/run/run.ts";
import type { Db } from "../../../src/db/connection.ts";
import { importBankFile } from "../../../src/flows/bank-import/import-file.ts";
import { checkLedger } from "../../../src/ledger/check.ts";
import { exportPayments } from "../../../src/payments/export.ts";
import { defaultCatalog } from "../../../src/products/catalog.ts";
import type { Ctx } from "../../../src/shared/context.ts";
import { createTestDb } from "../../support/db.ts";
import { camt054, ISO_PAIN_001 } from "../payments/bank-files.ts";
import { seedPolicy } from "./seed.ts";

/**
 * Item 4 of the collections edge cases: a transfer for an invoice that is already paid, or for more
 * than is outstanding, is accepted; what was not owed is booked on `overpayments` and paid back to
 * the payer's account (DbtrAcct) by the next `payments export`. Nothing is applied twice.
 */
const config = { ...billingConfig({}), chunkSize: 10 };
const ctxAt = (iso: string): Ctx => ({ actor: "test", now: new Date(iso), catalog: defaultCatalog() });
const PAYER = { name: "J. de Betaler", iban: "NL20INGB0001234567" };

let db: Db;
let out: string;
const inv: { reference: string; amount: number }[] = [];

beforeAll(async () => {
  db = await createTestDb();
  out = await mkdtemp(join(tmpdir(), "cp-overpaid-"));
  const ctx = ctxAt("2025-12-20T08:00:00Z");
  for (let i = 0; i < 3; i++) {
    await seedPolicy(
      db.kysely,
      ctx,
      { startDate: "2026-01-01", frequency: "annual", method: "bank_transfer" },
      50 + i,
    );
  }
  await runBilling(db.kysely, ctxAt("2026-01-01T06:00:00Z"), { date: "2026-01-01", outDir: out, config });
  const rows = await db.kysely.selectFrom("invoices").selectAll().orderBy("reference").execute();
  for (const r of rows) inv.push({ reference: r.reference, amount: r.amount_cents });
});
afterAll(async () => {
  await db?.close();
  await rm(out, { recursive: true, force: true });
});

const ledger = async () => {
  const check = await db.kysely.transaction().execute((tx) => checkLedger(tx));
  expect(check.problems).toEqual([]);
  return (a: string) => check.balances.find((b) => b.account === a)?.rebuilt ?? 0;
};
const transfer = (reference: string, amount: number, date = "2026-01-10") => ({
  side: "CRDT" as const,
  amount,
  remittance: `Premie ${reference}`,
  debtor: PAYER,
  bookingDate: date,
});

describe("overpayments", () => {
  it("more than outstanding: the invoice is paid, the excess booked on overpayments and queued back", async () => {
    const xml = camt054({ messageId: "C-OVER-1", txs: [transfer(inv[0]!.reference, inv[0]!.amount + 1234)] });
    const r = await importBankFile(db.kysely, ctxAt("2026-01-10T18:00:00Z"), { xml, config });
    expect(r.paid).toEqual([inv[0]!.reference]);
    expect(r.overpaid).toEqual([`${inv[0]!.reference} EUR 12.34 → OVERPAID-1`]);
    const bal = await ledger();
    expect(bal("overpayments")).toBe(-1234);
    const payout = await db.kysely.selectFrom("payouts").selectAll().executeTakeFirstOrThrow();
    expect(payout).toMatchObject({ kind: "overpayment", status: "pending", amount_cents: 1234 });
    // The same file again, byte for byte or re-sent: nothing new.
    const again = await importBankFile(db.kysely, ctxAt("2026-01-10T19:00:00Z"), { xml, config });
    expect(again.duplicate).toBe(true);
    expect(await db.kysely.selectFrom("overpayments").select("id").execute()).toHaveLength(1);
  });

  it("an invoice paid twice: the second payment is an overpayment of its whole amount", async () => {
    const xml = camt054({
      messageId: "C-OVER-2",
      txs: [transfer(inv[0]!.reference, inv[0]!.amount, "2026-01-12")],
    });
    const r = await importBankFile(db.kysely, ctxAt("2026-01-12T18:00:00Z"), { xml, config });
    expect(r.paid).toEqual([]);
    expect(r.overpaid).toHaveLength(1);
    expect((await ledger())("overpayments")).toBe(-(1234 + inv[0]!.amount));
  });

  it("two payments of one open invoice in one file: the first pays, the second is paid back", async () => {
    const xml = camt054({
      messageId: "C-OVER-3",
      txs: [transfer(inv[1]!.reference, inv[1]!.amount), transfer(inv[1]!.reference, inv[1]!.amount)],
    });
    const r = await importBankFile(db.kysely, ctxAt("2026-01-13T18:00:00Z"), { xml, config });
    expect(r.paid).toEqual([inv[1]!.reference]);
    expect(r.overpaid).toHaveLength(1);
    await ledger();
  });

  it("less than outstanding is still refused, whole file, nothing applied", async () => {
    const before = await db.kysely.selectFrom("journal_entries").select("id").execute();
    const xml = camt054({
      messageId: "C-OVER-SHORT",
      txs: [transfer(inv[0]!.reference, 500), transfer(inv[2]!.reference, inv[2]!.amount - 1)],
    });
    await expect(
      importBankFile(db.kysely, ctxAt("2026-01-14T18:00:00Z"), { xml, config }),
    ).rejects.toMatchObject({
      code: "bank_file_invalid",
      message: expect.stringContaining(`doesn't match invoice ${inv[2]!.reference}`),
    });
    expect(await db.kysely.selectFrom("journal_entries").select("id").execute()).toEqual(before);
    expect(await db.kysely.selectFrom("overpayments").select("id").execute()).toHaveLength(3);
  });

  it("a camt.054 that fails the schema of its version (when one is given) is refused", async () => {
    const xsd = join(out, "camt.054.001.08-test.xsd");
    // A stand-in schema for the namespace that admits no Document: every camt.054.001.08 fails it.
    await writeFile(
      xsd,
      '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08" elementFormDefault="qualified"><xs:element name="Other" type="xs:string"/></xs:schema>',
    );
    const xml = camt054({ messageId: "C-OVER-XSD", txs: [transfer(inv[0]!.reference, 100)] });
    await expect(
      importBankFile(db.kysely, ctxAt("2026-01-15T18:00:00Z"), { xml, config, camt054Xsd: xsd }),
    ).rejects.toMatchObject({ code: "bank_file_invalid", message: expect.stringMatching(/xsd: .*Document/) });
  });

  it("the next export pays every overpayment back to the payer's account; execution clears the liability", async () => {
    const e = await exportPayments(db.kysely, ctxAt("2026-01-20T08:00:00Z"), {
      date: "2026-01-20",
      outDir: out,
      config,
    });
    expect(e.file?.transactions).toBe(3);
    const xml = await readFile(e.file!.path, "utf8");
    expect((await validateXml(xml, ISO_PAIN_001)).errors).toEqual([]);
    expect(xml).toContain(`<IBAN>${PAYER.iban}</IBAN>`);
    expect(xml).toContain("J. de Betaler");
    const rows = await db.kysely.selectFrom("payouts").selectAll().orderBy("id").execute();
    const executed = camt054({
      messageId: "C-OVER-EXEC",
      txs: rows.map((p) => ({
        side: "DBIT" as const,
        amount: p.amount_cents,
        endToEndId: p.end_to_end_id,
        bookingDate: "2026-01-21",
      })),
    });
    const r = await importBankFile(db.kysely, ctxAt("2026-01-21T18:00:00Z"), { xml: executed, config });
    expect(r.executed).toHaveLength(3);
    expect((await ledger())("overpayments")).toBe(0);
  });
});
