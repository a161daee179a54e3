import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBatches } from "../../../src/billing/run/batches.ts";
import { startRun } from "../../../src/billing/run/run.ts";
import type { Db } from "../../../src/db/connection.ts";
import { defaultCatalog } from "../../../src/products/catalog.ts";
import type { Ctx } from "../../../src/shared/context.ts";
import { addDays } from "../../../src/shared/dates.ts";
import { createTestDb } from "../../support/db.ts";

const ctx: Ctx = { actor: "test", now: new Date("2026-03-01T06:00:00Z"), catalog: defaultCatalog() };

let db: Db;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(() => db?.close());

describe("payment batches of a billing run", () => {
  it("are made once per collection date however many chunks ask for them at the same moment", async () => {
    const started = await startRun(db.kysely, ctx, "2026-03-01", 100);
    const run = { id: started.id, runDate: started.run_date };
    for (let round = 0; round < 15; round++) {
      const dates = [addDays("2026-03-15", round * 2), addDays("2026-03-16", round * 2)];
      // Four chunks at once: two on their own connection, two in transactions that stay open a moment.
      const made = await Promise.all([
        ensureBatches(db.kysely, ctx, run, dates),
        ensureBatches(db.kysely, ctx, run, [...dates].reverse()),
        db.kysely.transaction().execute(async (tx) => {
          const ids = await ensureBatches(tx, ctx, run, dates);
          await new Promise((r) => setTimeout(r, 5));
          return ids;
        }),
        db.kysely.transaction().execute((tx) => ensureBatches(tx, ctx, run, dates)),
      ]);
      for (const ids of made) expect(Object.fromEntries(ids)).toEqual(Object.fromEntries(made[0]!));
    }
    const batches = await db.kysely.selectFrom("payment_batches").select("collection_date").execute();
    expect(batches).toHaveLength(30);
    expect(new Set(batches.map((b) => b.collection_date)).size).toBe(30);
  });
});
