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
import { EPC_PAIN_002, pain002BlockReject } from "../payments/bank-files.ts";
import { seedPolicy } from "./seed.ts";

/**
 * Item 5 of the collections edge cases: a pain.002 that rejects a payment-information block, or
 * the whole message, without listing its transactions. Every transaction of that block (found by
 * the PmtInfId our writers give it) is rejected with the block's reason.
 */
const config = { ...billingConfig({}), chunkSize: 10 };
const ctxAt = (iso: string): Ctx => ({ actor: "test", now: new Date(iso), catalog: defaultCatalog() });

let db: Db;
let out: string;
let batch: { id: number; message_id: string };

beforeAll(async () => {
  db = await createTestDb();
  out = await mkdtemp(join(tmpdir(), "cp-block-"));
  const ctx = ctxAt("2025-12-20T08:00:00Z");
  for (let i = 0; i < 3; i++) await seedPolicy(db.kysely, ctx, { startDate: "2026-01-01" }, 60 + i);
  await runBilling(db.kysely, ctxAt("2026-01-01T06:00:00Z"), { date: "2026-01-01", outDir: out, config });
  batch = await db.kysely
    .selectFrom("payment_batches")
    .select(["id", "message_id"])
    .where("kind", "=", "direct_debit")
    .executeTakeFirstOrThrow();
});
afterAll(async () => {
  await db?.close();
  await rm(out, { recursive: true, force: true });
});

const ledgerOk = async () => {
  const check = await db.kysely.transaction().execute((tx) => checkLedger(tx));
  expect(check.problems).toEqual([]);
};

describe("pain.002 rejections without transaction details", () => {
  it("a block id that is not one of the file's blocks refuses the report", async () => {
    const xml = pain002BlockReject({
      messageId: "STS-BLOCK-BAD",
      originalMessageId: batch.message_id,
      originalType: "pain.008.001.08",
      paymentInfoId: `${batch.message_id}-RCUR`,
      reason: "MS03",
      date: "2026-01-10",
    });
    await expect(
      importBankFile(db.kysely, ctxAt("2026-01-10T08:00:00Z"), { xml, config, pain002Xsd: EPC_PAIN_002 }),
    ).rejects.toMatchObject({
      code: "bank_file_invalid",
      message: expect.stringMatching(/-RCUR is not a payment-information block of .* with transactions/),
    });
  });

  it("PmtInfSts RJCT for the FRST block returns every FRST debit with the block's reason (EPC XSD-valid)", async () => {
    const xml = pain002BlockReject({
      messageId: "STS-BLOCK-1",
      originalMessageId: batch.message_id,
      originalType: "pain.008.001.08",
      paymentInfoId: `${batch.message_id}-FRST`,
      reason: "MS03",
      date: "2026-01-10",
    });
    expect((await validateXml(xml, EPC_PAIN_002)).errors).toEqual([]);
    const r = await importBankFile(db.kysely, ctxAt("2026-01-10T08:00:00Z"), {
      xml,
      config,
      pain002Xsd: EPC_PAIN_002,
    });
    expect(r.xsdChecked).toBe(true);
    const frst = await db.kysely
      .selectFrom("invoices")
      .selectAll()
      .where("batch_id", "=", batch.id)
      .where("sequence_type", "=", "FRST")
      .execute();
    expect(frst).toHaveLength(3);
    expect(r.returned.sort()).toEqual(frst.map((i) => `${i.reference} (MS03)`).sort());
    for (const i of frst) expect(i).toMatchObject({ status: "returned", return_reason: "MS03" });
    await ledgerOk();
    // Returned invoices go to dunning as any returned debit does.
    const d = await runDunning(db.kysely, ctxAt("2026-01-12T08:00:00Z"), { date: "2026-01-12", config });
    expect(d.reminders).toHaveLength(3);
  });

  it("GrpSts RJCT of a pain.001 rejects every transfer of the file; they go out again", async () => {
    const [policy] = await db.kysely.selectFrom("policies").select("id").orderBy("id").execute();
    await db.kysely.transaction().execute((tx) =>
      fileClaim(tx, ctxAt("2026-01-05T10:00:00Z"), {
        policyId: policy!.id,
        peril: "hacking",
        incidentDate: "2026-01-04",
        reportedDate: "2026-01-05",
        losses: [{ kind: "device_repair", amount: 20000 }],
        facts: { policeReport: true },
      }),
    );
    const e = await exportPayments(db.kysely, ctxAt("2026-01-06T08:00:00Z"), {
      date: "2026-01-06",
      outDir: out,
      config,
    });
    expect(e.file?.transactions).toBe(1);
    const group = pain002BlockReject({
      messageId: "STS-BLOCK-CT",
      originalMessageId: e.file!.messageId,
      originalType: "pain.001.001.09",
      paymentInfoId: null,
      reason: "FF01",
      date: "2026-01-07",
    });
    const r = await importBankFile(db.kysely, ctxAt("2026-01-07T08:00:00Z"), { xml: group, config });
    const payout = await db.kysely.selectFrom("payouts").selectAll().executeTakeFirstOrThrow();
    expect(r.rejected).toEqual([`${payout.end_to_end_id} (FF01)`]);
    expect(payout.status).toBe("rejected");
    const next = await exportPayments(db.kysely, ctxAt("2026-01-08T08:00:00Z"), {
      date: "2026-01-08",
      outDir: out,
      config,
    });
    expect(next.file?.transactions).toBe(1);
    expect(await readFile(next.file!.path, "utf8")).toContain(`${payout.end_to_end_id}-A2`);
    // The block of the second file (PmtInfId = MsgId for our pain.001) rejected the same way.
    const block = pain002BlockReject({
      messageId: "STS-BLOCK-CT-2",
      originalMessageId: next.file!.messageId,
      originalType: "pain.001.001.09",
      paymentInfoId: next.file!.messageId,
      reason: "AM05",
      date: "2026-01-09",
    });
    const r2 = await importBankFile(db.kysely, ctxAt("2026-01-09T08:00:00Z"), { xml: block, config });
    expect(r2.rejected).toEqual([`${payout.end_to_end_id}-A2 (AM05)`]);
    await ledgerOk();
  });
});
