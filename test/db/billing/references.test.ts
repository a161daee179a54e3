import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { invoiceByReference } from "../../../src/billing/collections/settle.ts";
import { billingConfig } from "../../../src/billing/config.ts";
import { runBilling } from "../../../src/billing/run/run.ts";
import type { Db } from "../../../src/db/connection.ts";
import { defaultCatalog } from "../../../src/products/catalog.ts";
import type { Ctx } from "../../../src/shared/context.ts";
import { createTestDb } from "../../support/db.ts";
import { seedPolicy } from "./seed.ts";

const ctx: Ctx = { actor: "test", now: new Date("2026-03-01T08:00:00Z"), catalog: defaultCatalog() };

let db: Db;
let out: string;

beforeAll(async () => {
  db = await createTestDb();
  out = await mkdtemp(join(tmpdir(), "cp-refs-"));
  for (let i = 0; i < 3; i++) {
    await seedPolicy(db.kysely, ctx, { startDate: "2026-01-01", frequency: "monthly" }, i);
  }
  await runBilling(db.kysely, ctx, { date: "2026-03-01", outDir: out, config: billingConfig({}) });
});
afterAll(async () => {
  await db?.close();
  await rm(out, { recursive: true, force: true });
});

describe("invoice references (no index of their own: found through the policy number and key)", () => {
  it("find every invoice by its reference, and only that invoice", async () => {
    const all = await db.kysely.selectFrom("invoices").selectAll().execute();
    expect(all.length).toBe(9);
    for (const inv of all) {
      const found = await invoiceByReference(db.kysely, inv.reference);
      expect(found?.policy_id).toBe(inv.policy_id);
      expect(found?.period_start).toBe(inv.period_start);
    }
  });

  it("find nothing, without an error, for references that are not ours or not dates", async () => {
    const [inv] = await db.kysely.selectFrom("invoices").select("reference").limit(1).execute();
    const number = inv!.reference.slice(0, -9);
    for (const ref of [
      "",
      number,
      `${number}-20260301X`,
      `${number}-20261340`,
      `${number}-20260230`,
      `${number}-20270101`,
      `NL-X00000001-20260301`,
      `${number.toLowerCase()}-20260301`,
      "'; drop table invoices; --20260301",
    ]) {
      expect(await invoiceByReference(db.kysely, ref), ref).toBeUndefined();
    }
  });
});
