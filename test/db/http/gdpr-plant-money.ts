import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { billingConfig } from "../../../src/billing/config.ts";
import { runDunning } from "../../../src/billing/dunning/dunning.ts";
import { runBilling } from "../../../src/billing/run/run.ts";
import { importBankFile } from "../../../src/flows/bank-import/import-file.ts";
import { cancelPolicyWithBilling } from "../../../src/flows/cancel-policy.ts";
import { markPayoutExecuted } from "../../../src/payments/confirm.ts";
import { exportPayments } from "../../../src/payments/export.ts";
import { camt054 } from "../payments/bank-files.ts";
import { ctxAt, Q } from "./gdpr-party.ts";
import { inTx, type TestApp } from "./helpers.ts";

/**
 * The money side of the party's life, so its stored rows are searched too: a billing run, a
 * reminder letter, the premium paid twice from the party's account (an overpayment from a
 * camt.054), both policies cancelled, and every payout (claims, refund, overpayment) exported
 * in a pain.001 and executed, which makes the erasure allowed.
 */
export async function billDunAndPayOut(t: TestApp, p1: string, p2: string) {
  const out = await mkdtemp(join(tmpdir(), "cp-gdpr-"));
  try {
    const config = { ...billingConfig({}), chunkSize: 10 };
    await runBilling(t.db.kysely, ctxAt("2026-03-16T06:00:00Z"), { date: "2026-03-16", outDir: out, config });
    await runDunning(t.db.kysely, ctxAt("2026-04-20T06:00:00Z"), { date: "2026-04-20", config });
    // The party pays the reminded premium twice over from their own account: an overpayment to pay back.
    const invoice = await t.db.kysely
      .selectFrom("invoices")
      .select(["reference", "amount_cents"])
      .where("policy_id", "=", p2)
      .executeTakeFirstOrThrow();
    const payment = {
      side: "CRDT" as const,
      amount: invoice.amount_cents * 2,
      remittance: `Premie ${invoice.reference}`,
      debtor: { name: Q.holder, iban: Q.iban },
      bookingDate: "2026-04-20",
    };
    const xml = camt054({ messageId: "GDPR-CAMT-1", txs: [payment] });
    const imported = await importBankFile(t.db.kysely, ctxAt("2026-04-20T18:00:00Z"), { xml, config });
    expect(imported.overpaid).toHaveLength(1);
    for (const id of [p1, p2]) {
      await inTx(t.db, (tx) =>
        cancelPolicyWithBilling(tx, ctxAt("2026-04-21T10:00:00Z"), {
          policyId: id,
          requestedOn: "2026-04-21",
          effective: "2026-04-21",
        }),
      );
    }
    await exportPayments(t.db.kysely, ctxAt("2026-04-22T06:00:00Z"), {
      date: "2026-04-22",
      outDir: out,
      config,
    });
    const exported = await t.db.kysely
      .selectFrom("payouts")
      .selectAll()
      .where("status", "=", "exported")
      .execute();
    expect(exported.length).toBeGreaterThan(0);
    for (const p of exported)
      await inTx(t.db, (tx) => markPayoutExecuted(tx, ctxAt("2026-04-23T06:00:00Z"), p, "2026-04-23"));
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}
