import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateXml } from "../../../src/bank/index.ts";
import { billingConfig } from "../../../src/billing/config.ts";
import { runBilling } from "../../../src/billing/run/run.ts";
import { fileClaim } from "../../../src/claims/service.ts";
import type { Db } from "../../../src/db/connection.ts";
import { importBankFile } from "../../../src/flows/bank-import/import-file.ts";
import { cancelPolicyWithBilling } from "../../../src/flows/cancel-policy.ts";
import { checkLedger } from "../../../src/ledger/check.ts";
import { setPayoutAccount } from "../../../src/payments/accounts.ts";
import { exportPayments } from "../../../src/payments/export.ts";
import { defaultCatalog } from "../../../src/products/catalog.ts";
import type { Ctx } from "../../../src/shared/context.ts";
import { createTestDb } from "../../support/db.ts";
import { seedPolicy } from "../billing/seed.ts";
import { camt054, ISO_PAIN_001, pain002Rejects } from "./bank-files.ts";

/** Claim payouts and cancellation refunds by pain.001, confirmed or rejected by the bank. */
const config = { ...billingConfig({}), chunkSize: 10 };
const ctxAt = (iso: string): Ctx => ({ actor: "test", now: new Date(iso), catalog: defaultCatalog() });
const claim = (policyId: string) => ({
  policyId,
  peril: "hacking",
  incidentDate: "2026-02-10",
  reportedDate: "2026-02-11",
  losses: [{ kind: "device_repair", amount: 20000 }],
  facts: { policeReport: true },
});

let db: Db;
let out: string;
const p: Record<string, string> = {};

beforeAll(async () => {
  db = await createTestDb();
  out = await mkdtemp(join(tmpdir(), "cp-payments-"));
  const ctx = ctxAt("2025-12-20T08:00:00Z");
  p.mandate = (await seedPolicy(db.kysely, ctx, { startDate: "2026-01-01", frequency: "annual" }, 1)).id;
  p.noIban = (
    await seedPolicy(
      db.kysely,
      ctx,
      { startDate: "2026-01-01", frequency: "annual", method: "bank_transfer" },
      2,
    )
  ).id;
  p.given = (await seedPolicy(db.kysely, ctx, { startDate: "2026-01-01", frequency: "annual" }, 3)).id;
  await runBilling(db.kysely, ctxAt("2026-01-20T06:00:00Z"), { date: "2026-01-20", outDir: out, config });
  // The annual invoice is collected on 2026-02-03 (14 days' notice), booked by the next run.
  await runBilling(db.kysely, ctxAt("2026-02-05T06:00:00Z"), { date: "2026-02-05", outDir: out, config });
  for (const id of [p.mandate, p.noIban, p.given]) {
    await db.kysely.transaction().execute((tx) => fileClaim(tx, ctxAt("2026-02-11T10:00:00Z"), claim(id!)));
  }
  // A paid annual premium, cancelled mid-year: the unused days are refunded.
  await db.kysely.transaction().execute((tx) =>
    cancelPolicyWithBilling(tx, ctxAt("2026-07-01T10:00:00Z"), {
      policyId: p.mandate!,
      requestedOn: "2026-07-01",
      effective: "2026-07-01",
    }),
  );
});
afterAll(async () => {
  await db?.close();
  await rm(out, { recursive: true, force: true });
});

describe("payments export", () => {
  it("refuses a payout IBAN with a wrong check digit", async () => {
    await expect(
      db.kysely.transaction().execute((tx) =>
        setPayoutAccount(tx, ctxAt("2026-07-01T10:00:00Z"), {
          policyId: p.given!,
          accountHolder: "X",
          iban: "NL92ABNA0417164300",
        }),
      ),
    ).rejects.toMatchObject({ code: "invalid_iban" });
  });

  it("pays claims and refunds to the payout account or the mandate, and reports claims without an IBAN", async () => {
    await db.kysely.transaction().execute((tx) =>
      setPayoutAccount(tx, ctxAt("2026-07-01T10:00:00Z"), {
        policyId: p.given!,
        accountHolder: "Klant Drie",
        iban: "BE68 5390 0754 7034",
      }),
    );
    const e = await exportPayments(db.kysely, ctxAt("2026-07-02T08:00:00Z"), {
      date: "2026-07-03",
      outDir: out,
      config,
    });
    expect(e.accrued).toEqual({ claims: 3, refunds: 1 });
    expect(e.withoutAccount).toMatchObject([{ kind: "claim", amount: 15000 }]);
    expect(e.file).toMatchObject({ transactions: 3 });
    const xml = await readFile(e.file!.path, "utf8");
    expect((await validateXml(xml, ISO_PAIN_001)).errors).toEqual([]);
    expect(xml).toContain("BE68539007547034");
    const refund = await db.kysely
      .selectFrom("payouts")
      .selectAll()
      .where("kind", "=", "refund")
      .executeTakeFirstOrThrow();
    expect(refund.status).toBe("exported");
    const adj = await db.kysely
      .selectFrom("billing_adjustments")
      .selectAll()
      .where("kind", "=", "refund")
      .executeTakeFirstOrThrow();
    expect(adj.refund_batch_id).toBe(refund.batch_id);
    // The unpaid claim is still pending and still reported, never silently dropped.
    const again = await exportPayments(db.kysely, ctxAt("2026-07-02T09:00:00Z"), {
      date: "2026-07-03",
      outDir: out,
      config,
    });
    expect(again).toMatchObject({
      file: null,
      accrued: { claims: 0, refunds: 0 },
      withoutAccount: [{ kind: "claim" }],
    });
  });

  it("executes by camt.054 debits, rejects by pain.002, and the ledger balances", async () => {
    const rows = await db.kysely
      .selectFrom("payouts")
      .selectAll()
      .where("status", "=", "exported")
      .orderBy("id")
      .execute();
    const batch = await db.kysely
      .selectFrom("payment_batches")
      .selectAll()
      .where("id", "=", rows[0]!.batch_id!)
      .executeTakeFirstOrThrow();
    const [first, ...rest] = rows;
    const rejected = pain002Rejects({
      messageId: "STS-CT-1",
      originalMessageId: batch.message_id,
      originalType: "pain.001.001.09",
      originalCount: batch.transactions!,
      originalTotal: batch.total_cents!,
      collectionDate: "2026-07-03",
      rejects: [{ endToEndId: first!.end_to_end_id, amount: first!.amount_cents, reason: "AC04" }],
    });
    expect(
      (await importBankFile(db.kysely, ctxAt("2026-07-03T08:00:00Z"), { xml: rejected, config })).rejected,
    ).toHaveLength(1);
    const debits = camt054({
      messageId: "CAMT-CT-1",
      txs: rest.map((r) => ({
        side: "DBIT" as const,
        amount: r.amount_cents,
        endToEndId: r.end_to_end_id,
        bookingDate: "2026-07-03",
      })),
    });
    const r = await importBankFile(db.kysely, ctxAt("2026-07-03T18:00:00Z"), { xml: debits, config });
    expect(r.executed.sort()).toEqual(rest.map((x) => x.end_to_end_id).sort());
    const refundAdj = await db.kysely
      .selectFrom("billing_adjustments")
      .selectAll()
      .where("kind", "=", "refund")
      .executeTakeFirstOrThrow();
    const refundPayout = rows.find((x) => x.kind === "refund")!;
    expect(refundAdj.refunded_on).toBe(refundPayout === first ? null : "2026-07-03");
    const check = await db.kysely.transaction().execute((tx) => checkLedger(tx));
    expect(check.problems).toEqual([]);
    const bal = (a: string) => check.balances.find((b) => b.account === a)!.rebuilt;
    expect(bal("claims_expense")).toBe(45000);
    const paidClaims = rest.filter((x) => x.kind === "claim").reduce((s, x) => s + x.amount_cents, 0);
    expect(bal("claims_payable")).toBe(-(45000 - paidClaims));
  });
});
