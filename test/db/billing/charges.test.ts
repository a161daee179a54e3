import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateXml } from "../../../src/bank/index.ts";
import { runCharges } from "../../../src/billing/collections/charges.ts";
import { recordInvoicePayment } from "../../../src/billing/collections/settle.ts";
import { billingConfig } from "../../../src/billing/config.ts";
import { runDunning } from "../../../src/billing/dunning/dunning.ts";
import { runBilling } from "../../../src/billing/run/run.ts";
import type { Db } from "../../../src/db/connection.ts";
import { importBankFile } from "../../../src/flows/bank-import/import-file.ts";
import { changeHouseholdWithBilling } from "../../../src/flows/change-household.ts";
import { checkLedger } from "../../../src/ledger/check.ts";
import { defaultCatalog } from "../../../src/products/catalog.ts";
import type { Ctx } from "../../../src/shared/context.ts";
import { createTestDb } from "../../support/db.ts";
import { camt054, EPC_PAIN_002, pain002Rejects, XSD_DIR } from "../payments/bank-files.ts";
import { seedPolicy } from "./seed.ts";

/**
 * Item 6 of the collections edge cases: a household change after the period was invoiced makes a
 * charge; `billing charges` collects it on its own — by a pain.008 (RCUR on the mandate) with a
 * pre-notification, or by a payment request letter — and it settles, is returned and dunned like
 * an invoice. The receivable reconciles throughout.
 */
const config = { ...billingConfig({}), chunkSize: 10 };
const ctxAt = (iso: string): Ctx => ({ actor: "test", now: new Date(iso), catalog: defaultCatalog() });
const EPC_PAIN_008 = join(XSD_DIR, "EPC130-08_2025_V1.0_pain.008.001.08.xsd");
const ISO_PAIN_008 = join(XSD_DIR, "pain.008.001.08.xsd");

let db: Db;
let out: string;
let dd: string;
let transfer: string;

beforeAll(async () => {
  db = await createTestDb();
  out = await mkdtemp(join(tmpdir(), "cp-charges-"));
  const ctx = ctxAt("2025-12-20T08:00:00Z");
  dd = (await seedPolicy(db.kysely, ctx, { startDate: "2026-01-01", frequency: "annual" }, 70)).id;
  transfer = (
    await seedPolicy(
      db.kysely,
      ctx,
      { startDate: "2026-01-01", frequency: "annual", method: "bank_transfer" },
      71,
    )
  ).id;
  await runBilling(db.kysely, ctxAt("2026-01-01T06:00:00Z"), { date: "2026-01-01", outDir: out, config });
  // The annual debit is collected on 2026-01-15 and booked by the next run.
  await runBilling(db.kysely, ctxAt("2026-01-20T06:00:00Z"), { date: "2026-01-20", outDir: out, config });
  for (const policyId of [dd, transfer]) {
    await db.kysely.transaction().execute((tx) =>
      changeHouseholdWithBilling(tx, ctxAt("2026-03-25T10:00:00Z"), {
        policyId,
        effectiveDate: "2026-04-01",
        household: "family",
      }),
    );
  }
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
const chargeOf = (policyId: string) =>
  db.kysely
    .selectFrom("charge_collections")
    .selectAll()
    .where("policy_id", "=", policyId)
    .executeTakeFirstOrThrow();

describe("billing charges", () => {
  it("takes up each charge once: a schema-valid pain.008 (RCUR) for the mandate, a payment request otherwise", async () => {
    const adjustments = await db.kysely.selectFrom("billing_adjustments").selectAll().orderBy("id").execute();
    expect(adjustments.map((a) => a.kind)).toEqual(["charge", "charge"]);
    await ledger();
    const r = await runCharges(db.kysely, ctxAt("2026-03-26T08:00:00Z"), {
      date: "2026-03-26",
      outDir: out,
      config,
    });
    expect(r.debited).toHaveLength(1);
    expect(r.requested).toHaveLength(1);
    expect(r.files).toMatchObject([{ collectionDate: "2026-04-09", transactions: 1 }]);
    const xml = await readFile(r.files[0]!.path, "utf8");
    expect((await validateXml(xml, EPC_PAIN_008)).errors).toEqual([]);
    expect((await validateXml(xml, ISO_PAIN_008)).errors).toEqual([]);
    const c = await chargeOf(dd);
    expect(c).toMatchObject({
      method: "direct_debit",
      sequence_type: "RCUR",
      status: "open",
      due_date: "2026-04-09",
    });
    expect(c.reference).toMatch(/^.+-C\d+$/);
    expect(xml).toContain(`<EndToEndId>${c.reference}</EndToEndId>`);
    expect(xml).toContain("<SeqTp>RCUR</SeqTp>");
    const letters = await db.kysely
      .selectFrom("premium_letters")
      .select(["kind", "policy_id", "body"])
      .orderBy("kind")
      .execute();
    expect(letters.map((l) => [l.kind, l.policy_id])).toEqual([
      ["payment_request", transfer],
      ["pre_notification", dd],
    ]);
    expect(letters[1]!.body).toContain("9 april 2026");
    const again = await runCharges(db.kysely, ctxAt("2026-03-27T08:00:00Z"), {
      date: "2026-03-27",
      outDir: out,
      config,
    });
    expect(again).toMatchObject({ debited: [], requested: [], files: [], collected: [] });
    await ledger();
  });

  it("a debit counts as paid on its collection date; a bank return reverses it and dunning reminds it", async () => {
    const start = await ledger();
    const r = await runCharges(db.kysely, ctxAt("2026-04-10T08:00:00Z"), {
      date: "2026-04-10",
      outDir: out,
      config,
    });
    const c = await chargeOf(dd);
    expect(r.collected).toEqual([c.reference]);
    const paid = await ledger();
    expect(paid("bank") - start("bank")).toBe(c.amount_cents);
    const batch = await db.kysely
      .selectFrom("payment_batches")
      .selectAll()
      .where("id", "=", c.batch_id!)
      .executeTakeFirstOrThrow();
    const report = pain002Rejects({
      messageId: "STS-CHARGE-1",
      originalMessageId: batch.message_id,
      originalCount: 1,
      originalTotal: c.amount_cents,
      collectionDate: "2026-04-12",
      rejects: [{ endToEndId: c.reference, amount: c.amount_cents, reason: "AM04" }],
    });
    const imported = await importBankFile(db.kysely, ctxAt("2026-04-12T08:00:00Z"), {
      xml: report,
      config,
      pain002Xsd: EPC_PAIN_002,
    });
    expect(imported.returned).toEqual([`${c.reference} (AM04)`]);
    const returned = await ledger();
    expect(returned("bank")).toBe(start("bank"));
    expect(await chargeOf(dd)).toMatchObject({ status: "returned", return_reason: "AM04", paid_cents: 0 });
    const d = await runDunning(db.kysely, ctxAt("2026-04-13T08:00:00Z"), { date: "2026-04-13", config });
    expect(d.reminders.map((m) => m.reference)).toContain(c.reference);
    const letter = await db.kysely
      .selectFrom("premium_letters")
      .selectAll()
      .where("adjustment_id", "=", c.adjustment_id)
      .where("reminder_id", "is not", null)
      .executeTakeFirstOrThrow();
    expect(letter.body).toContain("AM04");
    expect(letter.body).toContain(c.reference);
    // Paid by hand with `billing pay`: the reminder is settled.
    const outcome = await db.kysely.transaction().execute((tx) =>
      recordInvoicePayment(tx, ctxAt("2026-04-14T08:00:00Z"), {
        reference: c.reference,
        receivedOn: "2026-04-14",
      }),
    );
    expect(outcome).toBe("paid");
    const reminder = await db.kysely
      .selectFrom("premium_reminders")
      .selectAll()
      .where("adjustment_id", "=", c.adjustment_id)
      .executeTakeFirstOrThrow();
    expect(reminder.settled_on).toBe("2026-04-14");
    await ledger();
  });

  it("a payment request is paid by transfer naming the charge reference", async () => {
    const c = await chargeOf(transfer);
    expect(c).toMatchObject({ method: "transfer", status: "open", batch_id: null });
    const xml = camt054({
      messageId: "C-CHARGE-PAID",
      txs: [{ side: "CRDT", amount: c.amount_cents, remittance: c.reference, bookingDate: "2026-04-02" }],
    });
    const r = await importBankFile(db.kysely, ctxAt("2026-04-02T18:00:00Z"), { xml, config });
    expect(r.paid).toEqual([c.reference]);
    expect(await chargeOf(transfer)).toMatchObject({ status: "paid", paid_cents: c.amount_cents });
    await ledger();
  });
});
