import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { billingConfig } from "../../../src/billing/config.ts";
import { runDunning } from "../../../src/billing/dunning/dunning.ts";
import { runBilling } from "../../../src/billing/run/run.ts";
import type { Db } from "../../../src/db/connection.ts";
import { cancelPolicyWithBilling } from "../../../src/flows/cancel-policy.ts";
import { defaultCatalog } from "../../../src/products/catalog.ts";
import type { Ctx } from "../../../src/shared/context.ts";
import { createTestDb } from "../../support/db.ts";
import { seedPolicy } from "./seed.ts";

/**
 * Issue 14 item 8: dunning writes only where the insurer collects. Arrears of several periods are
 * one letter per policy; a policy that has ended, and one billed on the partner's invoice, get
 * none.
 */
const config = { ...billingConfig({}), chunkSize: 10 };
const ctxAt = (iso: string): Ctx => ({ actor: "test", now: new Date(iso), catalog: defaultCatalog() });

let db: Db;
let out: string;
let owing: string;
let ended: string;
let partner: string;

beforeAll(async () => {
  db = await createTestDb();
  out = await mkdtemp(join(tmpdir(), "cp-dunning-"));
  const ctx = ctxAt("2025-12-20T08:00:00Z");
  const transfer = {
    startDate: "2026-01-01",
    frequency: "quarterly" as const,
    method: "bank_transfer" as const,
  };
  owing = (await seedPolicy(db.kysely, ctx, transfer, 1)).id;
  ended = (await seedPolicy(db.kysely, ctx, transfer, 2)).id;
  partner = (
    await seedPolicy(
      db.kysely,
      ctx,
      { startDate: "2026-01-01", product: "be-cyber-care", household: "family", method: "partner_invoice" },
      3,
    )
  ).id;
  for (const date of ["2026-01-01", "2026-04-01"]) {
    await runBilling(db.kysely, ctxAt(`${date}T06:00:00Z`), { date, outDir: out, config });
  }
  await db.kysely.transaction().execute((tx) =>
    cancelPolicyWithBilling(tx, ctxAt("2026-04-10T09:00:00Z"), {
      policyId: ended,
      requestedOn: "2026-04-10",
      effective: "2026-04-20",
    }),
  );
});
afterAll(async () => {
  await db?.close();
  await rm(out, { recursive: true, force: true });
});

describe("dunning", () => {
  it("writes one letter per policy in arrears, naming every unpaid period", async () => {
    const open = await db.kysely
      .selectFrom("invoices")
      .select(["policy_id", "status"])
      .where("status", "=", "open")
      .execute();
    // Each of the three has unpaid invoices: without the scope, all three would be reminded.
    expect(new Set(open.map((i) => i.policy_id))).toEqual(new Set([owing, ended, partner]));

    const r = await runDunning(db.kysely, ctxAt("2026-05-01T07:00:00Z"), { date: "2026-05-01", config });
    expect(r.letters).toBe(1);
    expect(r.reminders.map((m) => m.policyId)).toEqual([owing, owing]);
    const letters = await db.kysely.selectFrom("premium_letters").selectAll().execute();
    expect(letters).toHaveLength(1);
    const [letter] = letters;
    expect(letter!.policy_id).toBe(owing);
    expect(letter!.body).toContain("Wij hebben de premie voor 2 perioden");
    expect(letter!.body).toContain("1 januari 2026 tot 1 april 2026");
    expect(letter!.body).toContain("1 april 2026 tot 1 juli 2026");
    const reminders = await db.kysely
      .selectFrom("premium_reminders")
      .select(["policy_id", "invoice_period_start"])
      .orderBy("invoice_period_start")
      .execute();
    expect(reminders.map((x) => [x.policy_id, String(x.invoice_period_start)])).toEqual([
      [owing, "2026-01-01"],
      [owing, "2026-04-01"],
    ]);
  });

  it("a second run the next day writes nothing more", async () => {
    const r = await runDunning(db.kysely, ctxAt("2026-05-02T07:00:00Z"), { date: "2026-05-02", config });
    expect(r).toMatchObject({ letters: 0, reminders: [] });
  });
});
