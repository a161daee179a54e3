import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateXml } from "../../../src/bank/index.ts";
import { billingConfig } from "../../../src/billing/config.ts";
import { fileClaim } from "../../../src/claims/service.ts";
import type { Db } from "../../../src/db/connection.ts";
import { importBankFile } from "../../../src/flows/bank-import/import-file.ts";
import { checkLedger } from "../../../src/ledger/check.ts";
import { monthlyReport } from "../../../src/ledger/report.ts";
import { setPayoutAccount } from "../../../src/payments/accounts.ts";
import { exportPayments } from "../../../src/payments/export.ts";
import { defaultCatalog } from "../../../src/products/catalog.ts";
import type { Ctx } from "../../../src/shared/context.ts";
import { createTestDb } from "../../support/db.ts";
import { seedPolicy } from "../billing/seed.ts";
import { camt054, ISO_PAIN_001, pain002Rejects } from "./bank-files.ts";

/**
 * Items 1 and 3 of the collections edge cases: a transfer the bank rejects (pain.002) or the
 * payee's bank returns (camt.054 credit) is owed again and goes out in the next export under a new
 * EndToEndId; an account reason waits for `payments iban`. The ledger and its payables hold.
 */
const config = { ...billingConfig({}), chunkSize: 10 };
const ctxAt = (iso: string): Ctx => ({ actor: "test", now: new Date(iso), catalog: defaultCatalog() });

let db: Db;
let out: string;
const policies: string[] = [];

beforeAll(async () => {
  db = await createTestDb();
  out = await mkdtemp(join(tmpdir(), "cp-retries-"));
  const ctx = ctxAt("2025-12-20T08:00:00Z");
  for (let i = 1; i <= 3; i++) {
    policies.push(
      (await seedPolicy(db.kysely, ctx, { startDate: "2026-01-01", frequency: "annual" }, 30 + i)).id,
    );
  }
  for (const policyId of policies) {
    await db.kysely.transaction().execute((tx) =>
      fileClaim(tx, ctxAt("2026-02-11T10:00:00Z"), {
        policyId,
        peril: "hacking",
        incidentDate: "2026-02-10",
        reportedDate: "2026-02-11",
        losses: [{ kind: "device_repair", amount: 20000 }],
        facts: { policeReport: true },
      }),
    );
  }
});
afterAll(async () => {
  await db?.close();
  await rm(out, { recursive: true, force: true });
});

const payouts = () => db.kysely.selectFrom("payouts").selectAll().orderBy("id").execute();
const ledgerOk = async () => {
  const check = await db.kysely.transaction().execute((tx) => checkLedger(tx));
  expect(check.problems).toEqual([]);
  return check;
};
const exportOn = async (date: string) => {
  const e = await exportPayments(db.kysely, ctxAt(`${date}T08:00:00Z`), { date, outDir: out, config });
  if (e.file) {
    const xml = await readFile(e.file.path, "utf8");
    expect((await validateXml(xml, ISO_PAIN_001)).errors).toEqual([]);
  }
  return e;
};
const batchOf = (id: number) =>
  db.kysely.selectFrom("payment_batches").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

describe("rejected payouts go out again", () => {
  it("a pain.002 rejection books nothing; a non-account reason goes out in the next file as -A2", async () => {
    const first = await exportOn("2026-03-02");
    expect(first.file?.transactions).toBe(3);
    const [a, b] = await payouts();
    const batch = await batchOf(a!.batch_id!);
    const entriesBefore = (await db.kysely.selectFrom("journal_entries").select("id").execute()).length;
    const report = pain002Rejects({
      messageId: "STS-RETRY-1",
      originalMessageId: batch.message_id,
      originalType: "pain.001.001.09",
      originalCount: batch.transactions!,
      originalTotal: batch.total_cents!,
      collectionDate: "2026-03-03",
      rejects: [
        { endToEndId: a!.end_to_end_id, amount: a!.amount_cents, reason: "AC04" },
        { endToEndId: b!.end_to_end_id, amount: b!.amount_cents, reason: "AM05" },
      ],
    });
    const r = await importBankFile(db.kysely, ctxAt("2026-03-03T08:00:00Z"), { xml: report, config });
    expect(r.rejected).toEqual([`${a!.end_to_end_id} (AC04)`, `${b!.end_to_end_id} (AM05)`]);
    // A rejection before execution moved no money: no entry.
    expect((await db.kysely.selectFrom("journal_entries").select("id").execute()).length).toBe(entriesBefore);
    await ledgerOk();

    const second = await exportOn("2026-03-04");
    expect(second.file?.transactions).toBe(1);
    expect(second.awaitingAccount).toMatchObject([{ payoutId: a!.id, reason: "AC04" }]);
    const [a2, b2] = await payouts();
    expect(b2).toMatchObject({ status: "exported", attempt: 2, end_to_end_id: `${b!.end_to_end_id}-A2` });
    expect(b2!.batch_id).not.toBe(b!.batch_id);
    expect(a2).toMatchObject({ status: "rejected", attempt: 1 });
    const attempts = await db.kysely.selectFrom("payout_attempts").selectAll().orderBy("payout_id").execute();
    expect(attempts).toMatchObject([
      { payout_id: a!.id, attempt: 1, end_to_end_id: a!.end_to_end_id, outcome: "rejected", reason: "AC04" },
      { payout_id: b!.id, attempt: 1, end_to_end_id: b!.end_to_end_id, outcome: "rejected", reason: "AM05" },
    ]);
    const xml = await readFile(second.file!.path, "utf8");
    expect(xml).toContain(`<EndToEndId>${b!.end_to_end_id}-A2</EndToEndId>`);
    expect(xml).not.toContain(`<EndToEndId>${b!.end_to_end_id}</EndToEndId>`);
  });

  it("an account reason goes out after `payments iban` set a new account, to that account", async () => {
    const [a] = await payouts();
    await db.kysely.transaction().execute((tx) =>
      setPayoutAccount(tx, ctxAt("2026-03-05T09:00:00Z"), {
        policyId: a!.policy_id,
        accountHolder: "Klant Nieuw",
        iban: "BE68 5390 0754 7034",
      }),
    );
    const third = await exportOn("2026-03-05");
    expect(third.awaitingAccount).toEqual([]);
    expect(third.file?.transactions).toBe(1);
    const xml = await readFile(third.file!.path, "utf8");
    expect(xml).toContain(`<EndToEndId>${a!.end_to_end_id}-A2</EndToEndId>`);
    expect(xml).toContain("BE68539007547034");
    await ledgerOk();
  });

  it("a late report about the first file's EndToEndId is recognised, not applied again", async () => {
    const attempt = await db.kysely
      .selectFrom("payout_attempts")
      .selectAll()
      .orderBy("payout_id")
      .executeTakeFirstOrThrow();
    const batch = await batchOf(attempt.batch_id!);
    const late = pain002Rejects({
      messageId: "STS-RETRY-LATE",
      originalMessageId: batch.message_id,
      originalType: "pain.001.001.09",
      originalCount: batch.transactions!,
      originalTotal: batch.total_cents!,
      collectionDate: "2026-03-06",
      rejects: [{ endToEndId: attempt.end_to_end_id, amount: attempt.amount_cents, reason: "AC04" }],
    });
    const r = await importBankFile(db.kysely, ctxAt("2026-03-06T08:00:00Z"), { xml: late, config });
    expect(r.rejected).toEqual([]);
    expect(r.notes).toContain(`${attempt.end_to_end_id}: already rejected (AC04)`);
  });
});

describe("returned credit transfers", () => {
  it("an executed payout returned by camt.054 is booked back (Dr bank / Cr claims payable) and goes out again", async () => {
    const exported = (await payouts()).filter((p) => p.status === "exported");
    const executed = camt054({
      messageId: "CAMT-RETRY-EXEC",
      txs: exported.map((p) => ({
        side: "DBIT" as const,
        amount: p.amount_cents,
        endToEndId: p.end_to_end_id,
        bookingDate: "2026-03-06",
      })),
    });
    const ex = await importBankFile(db.kysely, ctxAt("2026-03-06T18:00:00Z"), { xml: executed, config });
    expect(ex.executed).toHaveLength(3);
    const before = await ledgerOk();
    const bal = (c: typeof before, a: string) => c.balances.find((b) => b.account === a)!.rebuilt;
    expect(bal(before, "claims_payable")).toBe(0);

    const [p] = exported;
    const returned = camt054({
      messageId: "CAMT-RETRY-RTRN",
      txs: [
        {
          side: "CRDT",
          amount: p!.amount_cents,
          endToEndId: p!.end_to_end_id,
          returnReason: "AC06",
          bankTransactionCode: "PMNT/ICDT/RRTN",
          bookingDate: "2026-03-09",
        },
      ],
    });
    const r = await importBankFile(db.kysely, ctxAt("2026-03-09T18:00:00Z"), { xml: returned, config });
    expect(r.payoutsReturned).toEqual([`${p!.end_to_end_id} (AC06)`]);
    const after = await ledgerOk();
    expect(bal(after, "bank") - bal(before, "bank")).toBe(p!.amount_cents);
    expect(bal(after, "claims_payable")).toBe(-p!.amount_cents);
    const again = await importBankFile(db.kysely, ctxAt("2026-03-09T19:00:00Z"), { xml: returned, config });
    expect(again.duplicate).toBe(true);

    // AC06 is an account reason: a new account first, then the payout goes out as attempt 3.
    const waiting = await exportOn("2026-03-10");
    expect(waiting.awaitingAccount.map((m) => m.payoutId)).toEqual([p!.id]);
    await db.kysely.transaction().execute((tx) =>
      setPayoutAccount(tx, ctxAt("2026-03-10T09:00:00Z"), {
        policyId: p!.policy_id,
        accountHolder: "Klant Drie",
        iban: "NL91ABNA0417164300",
      }),
    );
    const retry = await exportOn("2026-03-11");
    expect(retry.file?.transactions).toBe(1);
    const row = (await payouts()).find((x) => x.id === p!.id)!;
    expect(row.status).toBe("exported");
    expect(row.end_to_end_id).toMatch(/-A3$/);
    const paid = camt054({
      messageId: "CAMT-RETRY-EXEC-2",
      txs: [
        { side: "DBIT", amount: row.amount_cents, endToEndId: row.end_to_end_id, bookingDate: "2026-03-12" },
      ],
    });
    expect(
      (await importBankFile(db.kysely, ctxAt("2026-03-12T18:00:00Z"), { xml: paid, config })).executed,
    ).toEqual([row.end_to_end_id]);
    const end = await ledgerOk();
    expect(bal(end, "claims_payable")).toBe(0);
    // The finance report counts each claim paid once: the return nets out against its execution.
    const report = await db.kysely.transaction().execute((tx) => monthlyReport(tx, { from: "2026-03" }));
    const all = (await payouts()).reduce((s, x) => s + x.amount_cents, 0);
    expect(report.find((m) => m.month === "2026-03")?.claimsPaid).toBe(all);
  });

  it("a return of a transfer that is not ours refuses the file", async () => {
    const xml = camt054({
      messageId: "CAMT-RETRY-UNKNOWN",
      txs: [
        {
          side: "CRDT",
          amount: 1000,
          endToEndId: "CL-99999999-1",
          returnReason: "AC04",
          bookingDate: "2026-03-12",
        },
      ],
    });
    await expect(
      importBankFile(db.kysely, ctxAt("2026-03-12T19:00:00Z"), { xml, config }),
    ).rejects.toMatchObject({
      code: "bank_file_invalid",
      message: expect.stringMatching(/returned transfer CL-99999999-1: no such payout of ours/),
    });
  });
});
