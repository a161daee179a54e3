import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateXml } from "../../../src/bank/index.ts";
import { billingConfig } from "../../../src/billing/config.ts";
import { runDunning } from "../../../src/billing/dunning/dunning.ts";
import { runBilling } from "../../../src/billing/run/run.ts";
import { fileClaim } from "../../../src/claims/service.ts";
import type { Db } from "../../../src/db/connection.ts";
import { importBankFile } from "../../../src/flows/bank-import/import-file.ts";
import { checkLedger } from "../../../src/ledger/check.ts";
import { exportPayments } from "../../../src/payments/export.ts";
import { defaultCatalog } from "../../../src/products/catalog.ts";
import type { Ctx } from "../../../src/shared/context.ts";
import { createTestDb } from "../../support/db.ts";
import { camt054, EPC_PAIN_002, ISO_PAIN_001, OUR_CI, pain002Rejects } from "../payments/bank-files.ts";
import { seedPolicy } from "./seed.ts";

/**
 * Premium default driven by real billing events, end to end: billing run → pain.008 → returns
 * (camt.054 for nl-cyber, pain.002 for be-cyber-care) → dunning → claim denied cover_suspended →
 * payment → claim approved → payout by pain.001 → executed; the ledger balances throughout.
 */
const config = { ...billingConfig({}), chunkSize: 10 };
const ctxAt = (iso: string): Ctx => ({ actor: "test", now: new Date(iso), catalog: defaultCatalog() });
const claimInput = (policyId: string, incidentDate: string, reportedDate: string) => ({
  policyId,
  peril: "hacking",
  incidentDate,
  reportedDate,
  losses: [{ kind: "device_repair", amount: 50000 }],
  facts: { policeReport: true },
});

let db: Db;
let out: string;
let nl: string;
let be: string;

beforeAll(async () => {
  db = await createTestDb();
  out = await mkdtemp(join(tmpdir(), "cp-returns-"));
  const ctx = ctxAt("2025-12-20T08:00:00Z");
  nl = (await seedPolicy(db.kysely, ctx, { startDate: "2026-01-01" }, 1)).id;
  be = (
    await seedPolicy(
      db.kysely,
      ctx,
      { startDate: "2026-01-01", product: "be-cyber-care", household: "family" },
      2,
    )
  ).id;
});
afterAll(async () => {
  await db?.close();
  await rm(out, { recursive: true, force: true });
});

const invoiceOf = (policyId: string) =>
  db.kysely
    .selectFrom("invoices")
    .selectAll()
    .where("policy_id", "=", policyId)
    .orderBy("period_start")
    .executeTakeFirstOrThrow();
const ledgerOk = async () => {
  const check = await db.kysely.transaction().execute((tx) => checkLedger(tx));
  expect(check.problems).toEqual([]);
  return check;
};

describe("returns → reminder → suspension → payment → revival", () => {
  it("a pain.002 rejection (EPC XSD-valid) returns an invoice that was not collected yet", async () => {
    await runBilling(db.kysely, ctxAt("2026-01-01T06:00:00Z"), { date: "2026-01-01", outDir: out, config });
    const inv = await invoiceOf(be);
    const batch = await db.kysely
      .selectFrom("payment_batches")
      .selectAll()
      .where("id", "=", inv.batch_id!)
      .executeTakeFirstOrThrow();
    const xml = pain002Rejects({
      messageId: "STS-20260110-1",
      originalMessageId: batch.message_id,
      originalCount: batch.transactions!,
      originalTotal: batch.total_cents!,
      collectionDate: inv.collection_date!,
      rejects: [{ endToEndId: inv.reference, amount: inv.amount_cents, reason: "AC04" }],
    });
    expect((await validateXml(xml, EPC_PAIN_002)).errors).toEqual([]);
    const r = await importBankFile(db.kysely, ctxAt("2026-01-10T08:00:00Z"), {
      xml,
      config,
      pain002Xsd: EPC_PAIN_002,
    });
    expect(r).toMatchObject({ duplicate: false, xsdChecked: true, returned: [`${inv.reference} (AC04)`] });
    expect(await invoiceOf(be)).toMatchObject({ status: "returned", return_reason: "AC04", paid_cents: 0 });
    // Imported twice: recognised, nothing changes.
    const entries = await db.kysely.selectFrom("journal_entries").select("id").execute();
    const again = await importBankFile(db.kysely, ctxAt("2026-01-10T09:00:00Z"), {
      xml,
      config,
      pain002Xsd: EPC_PAIN_002,
    });
    expect(again.duplicate).toBe(true);
    expect(await db.kysely.selectFrom("journal_entries").select("id").execute()).toEqual(entries);
    await ledgerOk();
  });

  it("a camt.054 return reverses a collection the billing run booked", async () => {
    await runBilling(db.kysely, ctxAt("2026-01-20T06:00:00Z"), { date: "2026-01-20", outDir: out, config });
    const inv = await invoiceOf(nl);
    expect(inv.status).toBe("paid");
    const bankBefore = (await ledgerOk()).balances.find((b) => b.account === "bank")!.rebuilt;
    const xml = camt054({
      messageId: "CAMT-20260122",
      txs: [
        {
          side: "DBIT",
          amount: inv.amount_cents,
          endToEndId: inv.reference,
          creditorId: OUR_CI,
          returnReason: "MD06",
          bookingDate: "2026-01-22",
        },
      ],
    });
    const r = await importBankFile(db.kysely, ctxAt("2026-01-22T08:00:00Z"), { xml, config });
    expect(r.returned).toEqual([`${inv.reference} (MD06)`]);
    expect(await invoiceOf(nl)).toMatchObject({
      status: "returned",
      returned_on: "2026-01-22",
      paid_cents: 0,
    });
    const after = await ledgerOk();
    expect(after.balances.find((b) => b.account === "bank")!.rebuilt).toBe(bankBefore - inv.amount_cents);
  });

  it("dunning sends one reminder per unpaid invoice, with its Dutch letter, and suspends cover", async () => {
    const d = await runDunning(db.kysely, ctxAt("2026-01-25T07:00:00Z"), { date: "2026-01-25", config });
    expect(d.reminders.map((m) => [m.policyId, m.kind, m.suspensionFrom]).sort()).toEqual(
      [
        [nl, "reminder", "2026-02-09"],
        [be, "formal_notice", "2026-02-10"],
      ].sort(),
    );
    const again = await runDunning(db.kysely, ctxAt("2026-01-26T07:00:00Z"), { date: "2026-01-26", config });
    expect(again.reminders).toEqual([]);
    const letters = await db.kysely.selectFrom("premium_letters").selectAll().orderBy("kind").execute();
    expect(letters).toHaveLength(2);
    const [formal, reminder] = letters;
    expect(reminder!.body).toContain("geschorst vanaf 9 februari 2026");
    expect(reminder!.body).toContain("de 15e dag na deze herinnering");
    expect(reminder!.body).toContain("MD06");
    expect(formal!.subject).toContain("Ingebrekestelling");
    expect(formal!.body).toContain("termijn van 15 dagen");
    expect(formal!.body).toContain("geschorst vanaf 10 februari 2026");
    const reminders = await db.kysely
      .selectFrom("premium_reminders")
      .selectAll()
      .where("policy_id", "=", nl)
      .execute();
    expect(reminders).toMatchObject([
      { invoice_period_start: "2026-01-01", amount_cents: (await invoiceOf(nl)).amount_cents },
    ]);
    const susp = await db.kysely
      .selectFrom("premium_suspensions")
      .selectAll()
      .where("policy_id", "=", nl)
      .execute();
    expect(susp).toMatchObject([{ from_date: "2026-02-09", until_date: null }]);
  });

  it("a claim inside the suspension is denied cover_suspended; payment revives cover the day after", async () => {
    const denied = await db.kysely
      .transaction()
      .execute((tx) =>
        fileClaim(tx, ctxAt("2026-02-13T10:00:00Z"), claimInput(nl, "2026-02-12", "2026-02-13")),
      );
    expect(denied.decision).toMatchObject({ outcome: "denied", reasons: ["cover_suspended"] });
    const inv = await invoiceOf(nl);
    const xml = camt054({
      messageId: "CAMT-20260220",
      txs: [
        {
          side: "CRDT",
          amount: inv.amount_cents,
          remittance: `Premie ${inv.reference}`,
          bookingDate: "2026-02-20",
        },
        { side: "CRDT", amount: 1234, remittance: "iets anders", bookingDate: "2026-02-20" },
      ],
    });
    const r = await importBankFile(db.kysely, ctxAt("2026-02-20T08:00:00Z"), { xml, config });
    expect(r.paid).toEqual([inv.reference]);
    expect(r.notes.some((n) => n.includes("without an invoice reference"))).toBe(true);
    expect(await invoiceOf(nl)).toMatchObject({
      status: "paid",
      paid_cents: inv.amount_cents,
      settled_on: "2026-02-20",
    });
    const susp = await db.kysely
      .selectFrom("premium_suspensions")
      .selectAll()
      .where("policy_id", "=", nl)
      .execute();
    expect(susp).toMatchObject([{ from_date: "2026-02-09", until_date: "2026-02-20" }]);
    const onPaymentDay = await db.kysely
      .transaction()
      .execute((tx) =>
        fileClaim(tx, ctxAt("2026-02-22T10:00:00Z"), claimInput(nl, "2026-02-20", "2026-02-22")),
      );
    expect(onPaymentDay.decision.reasons).toEqual(["cover_suspended"]);
    const approved = await db.kysely
      .transaction()
      .execute((tx) =>
        fileClaim(tx, ctxAt("2026-02-22T10:00:00Z"), claimInput(nl, "2026-02-21", "2026-02-22")),
      );
    expect(approved.decision).toMatchObject({ outcome: "approved", payout: 45000 });
    await ledgerOk();
  });

  it("the approved claim is paid by a schema-valid pain.001 and booked when the bank executes it", async () => {
    const e = await exportPayments(db.kysely, ctxAt("2026-02-23T08:00:00Z"), {
      date: "2026-02-24",
      outDir: out,
      config,
    });
    expect(e.withoutAccount).toEqual([]);
    expect(e.file).toMatchObject({ transactions: 1, total: 45000 });
    const xml = await readFile(e.file!.path, "utf8");
    expect((await validateXml(xml, ISO_PAIN_001)).errors).toEqual([]);
    const payout = await db.kysely.selectFrom("payouts").selectAll().executeTakeFirstOrThrow();
    expect(payout).toMatchObject({ kind: "claim", status: "exported", iban: "NL" + payout.iban!.slice(2) });
    const again = await exportPayments(db.kysely, ctxAt("2026-02-23T09:00:00Z"), {
      date: "2026-02-24",
      outDir: out,
      config,
    });
    expect(again).toMatchObject({ file: null, accrued: { claims: 0, refunds: 0 } });
    const confirm = camt054({
      messageId: "CAMT-20260224",
      txs: [{ side: "DBIT", amount: 45000, endToEndId: payout.end_to_end_id, bookingDate: "2026-02-24" }],
    });
    const r = await importBankFile(db.kysely, ctxAt("2026-02-24T18:00:00Z"), { xml: confirm, config });
    expect(r.executed).toEqual([payout.end_to_end_id]);
    const check = await ledgerOk();
    const balance = (a: string) => check.balances.find((b) => b.account === a)!.rebuilt;
    expect(balance("claims_expense")).toBe(45000);
    expect(balance("claims_payable")).toBe(0);
  });
});
