import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateXml } from "../../../src/bank/index.ts";
import { reconcilePolicyBilling } from "../../../src/billing/adjustments.ts";
import { billingConfig } from "../../../src/billing/config.ts";
import { runBilling } from "../../../src/billing/run/run.ts";
import type { Db } from "../../../src/db/connection.ts";
import { cancelPolicyWithBilling } from "../../../src/flows/cancel-policy.ts";
import { changeHouseholdWithBilling } from "../../../src/flows/change-household.ts";
import { checkLedger } from "../../../src/ledger/check.ts";
import { monthlyReport } from "../../../src/ledger/report.ts";
import { defaultCatalog } from "../../../src/products/catalog.ts";
import type { Ctx } from "../../../src/shared/context.ts";
import { createTestDb } from "../../support/db.ts";
import { seedPolicy } from "./seed.ts";

const EPC_XSD = join(import.meta.dirname, "../../../../shared/xsd/EPC130-08_2025_V1.0_pain.008.001.08.xsd");
const config = { ...billingConfig({}), chunkSize: 4 };
const ctxAt = (iso: string): Ctx => ({ actor: "test", now: new Date(iso), catalog: defaultCatalog() });

let db: Db;
let out: string;
const ids: string[] = [];

beforeAll(async () => {
  db = await createTestDb();
  out = await mkdtemp(join(tmpdir(), "cp-billing-"));
  const ctx = ctxAt("2026-01-01T08:00:00Z");
  const frequencies = ["monthly", "quarterly", "half_yearly", "annual"] as const;
  for (let i = 0; i < 14; i++) {
    const frequency = frequencies[i % 4]!;
    const p = await seedPolicy(
      db.kysely,
      ctx,
      {
        startDate: `2026-01-${String(i + 1).padStart(2, "0")}`,
        frequency,
        method: i === 5 ? "bank_transfer" : "sepa_direct_debit",
        household: i % 2 ? "family" : "single",
        mandate: i !== 9,
      },
      i,
    );
    ids.push(p.id);
  }
  await seedPolicy(
    db.kysely,
    ctx,
    { startDate: "2026-02-01", product: "be-cyber-care", household: "family" },
    99,
  );
});
afterAll(async () => {
  await db?.close();
  await rm(out, { recursive: true, force: true });
});

const invoices = () =>
  db.kysely.selectFrom("invoices").selectAll().orderBy("policy_id").orderBy("period_start").execute();

async function files(dir: string) {
  const names = (await readdir(dir)).filter((n) => n.endsWith(".xml")).sort();
  return Promise.all(names.map(async (n) => ({ name: n, xml: await readFile(join(dir, n), "utf8") })));
}

describe("billing run", () => {
  it("is idempotent: a second run gives the same invoices and the same files", async () => {
    const first = await runBilling(db.kysely, ctxAt("2026-03-01T06:00:00Z"), {
      date: "2026-03-01",
      outDir: out,
      config,
    });
    const before = await invoices();
    const filesBefore = await files(out);
    const second = await runBilling(db.kysely, ctxAt("2026-03-01T09:00:00Z"), {
      date: "2026-03-01",
      outDir: out,
      config,
    });
    expect(second.newInvoices).toBe(0);
    expect(second.invoices).toBe(first.invoices);
    expect(await invoices()).toEqual(before);
    expect(await files(out)).toEqual(filesBefore);
    // A run billed before chunks recorded their debits (migration 0008) still rewrites its files.
    await db.kysely
      .updateTable("billing_run_chunks")
      .set({ debits: null, debit_cents: null, first_period: null })
      .where("run_id", "=", first.runId)
      .execute();
    const legacyOut = join(out, "legacy");
    await runBilling(db.kysely, ctxAt("2026-03-01T10:00:00Z"), {
      date: "2026-03-01",
      outDir: legacyOut,
      config,
    });
    expect(await files(legacyOut)).toEqual(filesBefore);
    // 3 monthly policies × 2-3 periods, quarterly/half-yearly/annual 1 each, Cyber Care Feb+Mar.
    expect(first.invoices).toBe(before.length);
    expect(new Set(before.map((i) => `${i.policy_id}|${i.period_start}`)).size).toBe(before.length);
    expect(first.withoutMandate).toBe(1);
    expect(filesBefore.map((f) => f.name)).toEqual(["pain008-2026-03-01-2026-03-15.xml"]);
  });

  it("writes files that validate against the EPC schema and carry every direct debit", async () => {
    const direct = (await invoices()).filter((i) => i.batch_id !== null);
    for (const f of await files(out)) {
      const result = await validateXml(f.xml, EPC_XSD);
      expect(result.errors).toEqual([]);
      for (const inv of direct) expect(f.xml).toContain(`<EndToEndId>${inv.reference}</EndToEndId>`);
      expect(f.xml).toContain("<Id>NL69ZZZ123456780000</Id>");
      expect(f.xml).toContain("<SeqTp>FRST</SeqTp>");
    }
  });

  it("keeps the ledger balanced and equal to the invoices", async () => {
    const check = await checkLedger(db.kysely);
    expect(check.problems).toEqual([]);
    const total = (await invoices()).reduce((n, i) => n + i.amount_cents, 0);
    expect(check.receivable.ledger).toBe(total);
  });

  it("settles collections, then corrects billed periods after a cancellation and a household change", async () => {
    await runBilling(db.kysely, ctxAt("2026-04-01T06:00:00Z"), { date: "2026-04-01", outDir: out, config });
    const monthly = ids[0]!; // monthly from 2026-01-01, March invoice collected on 2026-03-15
    const march = (await invoices()).find((i) => i.policy_id === monthly && i.period_start === "2026-03-01")!;
    expect(march.status).toBe("paid");
    // Every debit of a batch collected by the run date is settled, and the batch with it; batches
    // still ahead of their collection date are not.
    const batches = await db.kysely
      .selectFrom("payment_batches")
      .select(["id", "collection_date", "status"])
      .where("kind", "=", "direct_debit")
      .execute();
    for (const b of batches) {
      const open = (await invoices()).filter((i) => i.batch_id === b.id && i.status === "open").length;
      if (b.collection_date <= "2026-04-01") {
        expect(b.status).toBe("settled");
        expect(open).toBe(0);
      } else {
        expect(b.status).not.toBe("settled");
      }
    }
    const ctx = ctxAt("2026-04-02T10:00:00Z");
    const cancel = await db.kysely.transaction().execute((tx) =>
      cancelPolicyWithBilling(tx, ctx, {
        policyId: monthly,
        requestedOn: "2026-03-20",
        effective: "2026-03-20",
      }),
    );
    // paidForPeriod now reads the invoice: 412 paid, 12 of 31 days unused.
    expect(cancel.paidForPeriod).toBe(412);
    expect(cancel.refund).toBe(Math.round((412 * 12) / 31));
    // cancelPolicy corrects the invoiced periods itself, in the same transaction.
    const made = await db.kysely
      .selectFrom("billing_adjustments")
      .select(["period_start", "reason", "kind", "amount_cents"])
      .where("policy_id", "=", monthly)
      .orderBy("period_start")
      .execute();
    expect(made).toEqual([
      { period_start: "2026-03-01", reason: "cancellation", kind: "refund", amount_cents: -cancel.refund },
      // April's debit is in the file the run wrote for 15 April: the bank collects all of it, so what
      // the cancellation takes off is paid back, not left as a credit the collection overtakes.
      { period_start: "2026-04-01", reason: "cancellation", kind: "refund", amount_cents: -412 },
    ]);
    expect(
      await db.kysely.transaction().execute((tx) => reconcilePolicyBilling(tx, ctx, monthly, "2026-04-02")),
    ).toEqual([]);

    const quarterly = ids[1]!; // single→family is ids[1]? household family (odd index); change to single
    await db.kysely.transaction().execute((tx) =>
      changeHouseholdWithBilling(tx, ctx, {
        policyId: quarterly,
        effectiveDate: "2026-03-02",
        household: "single",
      }),
    );
    // The change corrects its billed quarter at once; the next run adds nothing.
    await runBilling(db.kysely, ctxAt("2026-05-01T06:00:00Z"), { date: "2026-05-01", outDir: out, config });
    const adjustments = await db.kysely
      .selectFrom("billing_adjustments")
      .selectAll()
      .where("policy_id", "=", quarterly)
      .execute();
    expect(adjustments).toHaveLength(1);
    expect(adjustments[0]!.reason).toBe("household_change");
    expect(adjustments[0]!.amount_cents).toBeLessThan(0);
    const check = await checkLedger(db.kysely);
    expect(check.problems).toEqual([]);
    const report = await monthlyReport(db.kysely);
    expect(report.map((r) => r.month)).toEqual(["2026-03", "2026-04", "2026-05"]);
    // Both corrections were booked on 2026-04-02: the cancellation's refund and the quarter's.
    const refunds = await db.kysely
      .selectFrom("billing_adjustments")
      .select("amount_cents")
      .where("kind", "=", "refund")
      .execute();
    expect(refunds.map((r) => r.amount_cents)).toContain(-cancel.refund);
    expect(report.find((r) => r.month === "2026-04")!.refunds).toBe(
      -refunds.reduce((t, r) => t + r.amount_cents, 0),
    );
    expect(report.at(-1)!.outstanding).toBe(check.receivable.ledger);
  });
});
