import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { billingConfig } from "../../../src/billing/config.ts";
import { requestOverride, reviewOverride } from "../../../src/claims/override.ts";
import { fileClaim } from "../../../src/claims/service.ts";
import type { Db } from "../../../src/db/connection.ts";
import { checkLedger } from "../../../src/ledger/check.ts";
import { monthlyReport } from "../../../src/ledger/report.ts";
import { exportPayments } from "../../../src/payments/export.ts";
import { defaultCatalog } from "../../../src/products/catalog.ts";
import type { Ctx } from "../../../src/shared/context.ts";
import { createTestDb } from "../../support/db.ts";
import { seedPolicy } from "../billing/seed.ts";

/**
 * Item 2 of the collections edge cases: a claim's approved amount changed by a staff override after
 * its payout was accrued. Lowered while the payout is not in a file: the payout follows and the
 * difference is reversed; raised: the next export accrues the difference; lowered below what is in
 * a bank file: refused with payout_in_progress, nothing changed.
 */
const config = { ...billingConfig({}), chunkSize: 10 };
const ctxAt = (iso: string, actor = "handler-1"): Ctx => ({
  actor,
  now: new Date(iso),
  catalog: defaultCatalog(),
});

let db: Db;
let out: string;
let pendingClaim: { id: string; payout: number };
let filedClaim: { id: string; payout: number };

async function claimFor(policyId: string) {
  const c = await db.kysely.transaction().execute((tx) =>
    fileClaim(tx, ctxAt("2026-02-11T10:00:00Z"), {
      policyId,
      peril: "hacking",
      incidentDate: "2026-02-10",
      reportedDate: "2026-02-11",
      losses: [{ kind: "device_repair", amount: 40000 }],
      facts: { policeReport: true },
    }),
  );
  const row = await db.kysely
    .selectFrom("claims")
    .select(["id", "payout_cents", "status"])
    .where("policy_id", "=", policyId)
    .executeTakeFirstOrThrow();
  expect(row.status).toBe("approved");
  expect(c).toBeTruthy();
  return { id: row.id, payout: row.payout_cents };
}

beforeAll(async () => {
  db = await createTestDb();
  out = await mkdtemp(join(tmpdir(), "cp-lowered-"));
  const ctx = ctxAt("2025-12-20T08:00:00Z");
  // No mandate and no payout account: its payout is accrued but stays out of every file.
  const noAccount = await seedPolicy(
    db.kysely,
    ctx,
    { startDate: "2026-01-01", frequency: "annual", method: "bank_transfer" },
    41,
  );
  const withMandate = await seedPolicy(db.kysely, ctx, { startDate: "2026-01-01", frequency: "annual" }, 42);
  pendingClaim = await claimFor(noAccount.id);
  filedClaim = await claimFor(withMandate.id);
  const e = await exportPayments(db.kysely, ctxAt("2026-03-01T08:00:00Z"), {
    date: "2026-03-02",
    outDir: out,
    config,
  });
  expect(e.file?.transactions).toBe(1);
  expect(e.withoutAccount).toHaveLength(1);
});
afterAll(async () => {
  await db?.close();
  await rm(out, { recursive: true, force: true });
});

const override = (claimId: string, outcome: "approved" | "denied", payout: number, at: string) =>
  db.kysely
    .transaction()
    .execute((tx) =>
      requestOverride(
        tx,
        ctxAt(at),
        { claimId, outcome, payout, reason: "re-assessed after the repair invoice" },
        10_000_000,
      ),
    );
const claimPayouts = (claimId: string) =>
  db.kysely.selectFrom("payouts").selectAll().where("claim_id", "=", claimId).orderBy("id").execute();
const balances = async () => {
  const check = await db.kysely.transaction().execute((tx) => checkLedger(tx));
  expect(check.problems).toEqual([]);
  return (a: string) => check.balances.find((b) => b.account === a)?.rebuilt ?? 0;
};

describe("a claim payout changed after accrual", () => {
  it("lowered while pending: the payout follows, Dr claims payable / Cr claims expense", async () => {
    const was = await balances();
    await override(pendingClaim.id, "approved", pendingClaim.payout - 5000, "2026-03-03T10:00:00Z");
    expect(await claimPayouts(pendingClaim.id)).toMatchObject([
      { status: "pending", amount_cents: pendingClaim.payout - 5000 },
    ]);
    const now = await balances();
    expect(now("claims_expense") - was("claims_expense")).toBe(-5000);
    expect(now("claims_payable") - was("claims_payable")).toBe(5000);
    const entry = await db.kysely
      .selectFrom("journal_entries")
      .selectAll()
      .where("kind", "=", "claim_lowered")
      .executeTakeFirstOrThrow();
    expect(entry.source).toBe(`claim:${pendingClaim.id}:2:lowered`);
    const audit = await db.kysely
      .selectFrom("audit_log")
      .select("action")
      .where("action", "=", "payout.lowered")
      .execute();
    expect(audit).toHaveLength(1);
  });

  it("raised: the next export accrues the difference as a further payout of the new decision", async () => {
    // Back up to what the cover pays (loss minus deductible): raising needs no ex gratia.
    await override(pendingClaim.id, "approved", pendingClaim.payout, "2026-03-04T10:00:00Z");
    const e = await exportPayments(db.kysely, ctxAt("2026-03-05T08:00:00Z"), {
      date: "2026-03-05",
      outDir: out,
      config,
    });
    expect(e.accrued.claims).toBe(1);
    const rows = await claimPayouts(pendingClaim.id);
    expect(rows.map((r) => [r.claim_decision, r.amount_cents, r.status])).toEqual([
      [1, pendingClaim.payout - 5000, "pending"],
      [3, 5000, "pending"],
    ]);
    const bal = await balances();
    expect(bal("claims_expense")).toBe(filedClaim.payout + pendingClaim.payout);
  });

  it("denied after all: every pending payout is cancelled and the whole amount reversed", async () => {
    await override(pendingClaim.id, "denied", 0, "2026-03-06T10:00:00Z");
    const rows = await claimPayouts(pendingClaim.id);
    expect(rows.map((r) => r.status)).toEqual(["cancelled", "cancelled"]);
    const bal = await balances();
    expect(bal("claims_expense")).toBe(filedClaim.payout);
    const e = await exportPayments(db.kysely, ctxAt("2026-03-07T08:00:00Z"), {
      date: "2026-03-07",
      outDir: out,
      config,
    });
    expect(e).toMatchObject({ accrued: { claims: 0 }, file: null, withoutAccount: [] });
  });

  it("lowered below what is in a bank file: refused, naming the payout, nothing changed", async () => {
    const [filed] = await claimPayouts(filedClaim.id);
    expect(filed!.status).toBe("exported");
    const claimBefore = await db.kysely
      .selectFrom("claims")
      .selectAll()
      .where("id", "=", filedClaim.id)
      .executeTakeFirstOrThrow();
    await expect(override(filedClaim.id, "approved", 1000, "2026-03-08T10:00:00Z")).rejects.toMatchObject({
      code: "payout_in_progress",
      message: expect.stringContaining(`${filed!.end_to_end_id} (€`),
    });
    const claimAfter = await db.kysely
      .selectFrom("claims")
      .selectAll()
      .where("id", "=", filedClaim.id)
      .executeTakeFirstOrThrow();
    expect(claimAfter).toEqual(claimBefore);
    expect(await claimPayouts(filedClaim.id)).toEqual([filed]);
    // Raising it beyond the cover is ex gratia: an admin approves it, and the further payout of
    // the difference is booked on the ex-gratia expense account, apart from claims expense.
    await expect(
      override(filedClaim.id, "approved", filedClaim.payout + 1000, "2026-03-08T11:00:00Z"),
    ).rejects.toMatchObject({
      code: "override_exceeds_cover",
    });
    const asked = await db.kysely.transaction().execute((tx) =>
      requestOverride(
        tx,
        ctxAt("2026-03-08T11:00:00Z"),
        {
          claimId: filedClaim.id,
          outcome: "approved",
          payout: filedClaim.payout + 1000,
          reason: "goodwill: the repair shop went bankrupt mid-repair",
          exGratia: true,
        },
        10_000_000,
      ),
    );
    expect(asked.override).toMatchObject({ status: "pending", ex_gratia: true });
    const review = (reviewerIsAdmin: boolean) =>
      db.kysely.transaction().execute((tx) =>
        reviewOverride(
          tx,
          { ...ctxAt("2026-03-08T12:00:00Z"), actor: "user:reviewer" },
          {
            overrideId: asked.override.id,
            approve: true,
            reviewerIsAdmin,
          },
        ),
      );
    await expect(review(false)).rejects.toMatchObject({ code: "ex_gratia_needs_admin" });
    const priorBalances = await balances();
    const approved = await review(true);
    expect(approved.claim).toMatchObject({ payout_cents: filedClaim.payout + 1000, ex_gratia_cents: 1000 });
    const e = await exportPayments(db.kysely, ctxAt("2026-03-09T08:00:00Z"), {
      date: "2026-03-09",
      outDir: out,
      config,
    });
    expect(e.accrued.claims).toBe(1);
    const laterBalances = await balances();
    expect(laterBalances("ex_gratia_expense") - priorBalances("ex_gratia_expense")).toBe(1000);
    expect(laterBalances("claims_expense") - priorBalances("claims_expense")).toBe(0);
    // The monthly report shows the goodwill apart from claims incurred.
    const march = (await monthlyReport(db.kysely)).find((m) => m.month === "2026-03");
    expect(march?.exGratia).toBe(1000);
  });
});
