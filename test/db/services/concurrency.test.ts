import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileClaim } from "../../../src/claims/service.ts";
import type { Db } from "../../../src/db/connection.ts";
import { backend, createTestDb } from "../../support/db.ts";
import { ctxOn, inTx, newPolicy } from "./helpers.ts";

let db: Db;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => {
  await db.close();
});

// On PGlite one connection serialises everything; the race only exists on a real server.
describe.runIf(backend === "postgres")("concurrent claims against one annual limit", () => {
  it("never pays more than the limit when 50 claims are decided in parallel", async () => {
    const policy = await newPolicy(db, { household: "family" });
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        inTx(db, (tx) =>
          fileClaim(tx, ctxOn("2026-06-01"), {
            policyId: policy.id,
            reference: `p${i}`,
            peril: "social_engineering",
            incidentDate: "2026-06-01",
            reportedDate: "2026-06-01",
            losses: [{ kind: "transferred_amount", amount: 40000 }],
            facts: { policeReport: true, bankRefusalProof: true },
          }),
        ),
      ),
    );
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    const payouts = await db.kysely
      .selectFrom("claims")
      .select(["payout_cents", "status"])
      .where("policy_id", "=", policy.id)
      .execute();
    const total = payouts.reduce((s, p) => s + p.payout_cents, 0);
    // Section F, family: 5,000.00 a year; each claim pays 350.00 after the 50.00 deductible.
    expect(total).toBe(500000);
    expect(payouts.filter((p) => p.status === "approved")).toHaveLength(15);
    const usage = await db.kysely
      .selectFrom("limit_usage")
      .select("used_cents")
      .where("policy_id", "=", policy.id)
      .executeTakeFirstOrThrow();
    expect(usage.used_cents).toBe(total);
  });
});
