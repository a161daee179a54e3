import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../../src/db/connection.ts";
import { markPayoutExecuted, payoutByEndToEndId } from "../../../src/payments/confirm.ts";
import { markPayoutRejected } from "../../../src/payments/failures.ts";
import { ALLOWED, PAYOUT_STATUSES } from "../../../src/payments/model.ts";
import { recordOverpayment } from "../../../src/payments/overpayments.ts";
import { executedSource } from "../../../src/payments/payable.ts";
import { movePayout, type PayoutRow } from "../../../src/payments/store.ts";
import { defaultCatalog } from "../../../src/products/catalog.ts";
import type { Ctx } from "../../../src/shared/context.ts";
import { createTestDb } from "../../support/db.ts";
import { seedPolicy } from "../billing/seed.ts";

/**
 * A payout moves by compare-and-set on the status it was read in (payments/store.ts): a
 * transaction that read it before another one moved it loses, with a `conflict` (409), and
 * changes nothing — never a 500, never a second move.
 */
const ctx: Ctx = { actor: "test", now: new Date("2026-03-02T09:00:00Z"), catalog: defaultCatalog() };

let db: Db;
let policyId: string;
let n = 0;

/** A fresh pending payout (an overpayment to pay back), as a caller would have read it. */
async function pendingPayout(): Promise<PayoutRow> {
  n++;
  const made = await db.kysely.transaction().execute((tx) =>
    recordOverpayment(tx, ctx, {
      policyId,
      reference: `REF-${n}`,
      amount: 1234,
      payerName: "Klant 1",
      payerIban: "NL91ABNA0417164300",
      receivedOn: "2026-03-01",
      bankImportId: null,
      source: `test:moves:${n}`,
    }),
  );
  if (!made) throw new Error("overpayment not recorded");
  const row = await payoutByEndToEndId(db.kysely, made.endToEndId);
  if (!row) throw new Error("payout not inserted");
  return row;
}

const exported = (row: PayoutRow) =>
  db.kysely
    .transaction()
    .execute((tx) =>
      movePayout(tx, row, "pending", "exported", { payee_name: "Klant 1", iban: "NL91ABNA0417164300" }),
    );

const current = (id: number) =>
  db.kysely.selectFrom("payouts").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

const conflict = { name: "AppError", code: "conflict" };

beforeAll(async () => {
  db = await createTestDb();
  policyId = (await seedPolicy(db.kysely, ctx, { startDate: "2026-01-01", frequency: "annual" }, 1)).id;
});
afterAll(() => db?.close());

describe("moving a payout", () => {
  it("is a conflict when another transaction moved it after it was read, and changes nothing", async () => {
    const stale = await pendingPayout();
    await exported(stale);
    await expect(
      db.kysely.transaction().execute((tx) => movePayout(tx, stale, "pending", "cancelled")),
    ).rejects.toMatchObject(conflict);
    expect(await current(stale.id)).toMatchObject({ status: "exported", amount_cents: 1234 });
  });

  it("confirming a transfer the bank rejected meanwhile is a conflict, and books nothing", async () => {
    const staleExported = await exported(await pendingPayout());
    await db.kysely
      .transaction()
      .execute((tx) => markPayoutRejected(tx, ctx, staleExported, "AM04", "2026-03-03"));
    await expect(
      db.kysely.transaction().execute((tx) => markPayoutExecuted(tx, ctx, staleExported, "2026-03-03")),
    ).rejects.toMatchObject(conflict);
    expect(await current(staleExported.id)).toMatchObject({ status: "rejected", executed_on: null });
    const booked = await db.kysely
      .selectFrom("journal_entries")
      .select("id")
      .where("source", "=", executedSource(staleExported))
      .execute();
    expect(booked).toEqual([]);
  });

  it("lets exactly one of two concurrent moves win", async () => {
    const row = await pendingPayout();
    const results = await Promise.allSettled(
      (["exported", "cancelled"] as const).map((to) =>
        db.kysely.transaction().execute((tx) => movePayout(tx, row, "pending", to)),
      ),
    );
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject(conflict);
    const after = await current(row.id);
    expect(won[0]?.status === "fulfilled" && won[0].value.status).toBe(after.status);
  });

  it("refuses every move the lifecycle does not allow, leaving the row as it was", async () => {
    const row = await exported(await pendingPayout());
    const illegal = PAYOUT_STATUSES.filter((to) => !ALLOWED.exported.includes(to));
    expect(illegal.length).toBeGreaterThan(0);
    for (const to of illegal) {
      await expect(
        db.kysely.transaction().execute((tx) => movePayout(tx, row, "exported", to)),
      ).rejects.toMatchObject(conflict);
    }
    expect(await current(row.id)).toEqual(row);
  });
});
