import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backend } from "../../support/db.ts";
import { claimBody, fileAs } from "./claims-support.ts";
import { call, startTestApp, type TestApp } from "./helpers.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

// PGlite has one connection, so requests never overlap there; the race exists only on a server.
describe.runIf(backend === "postgres")("100 parallel claim POSTs against one annual limit", () => {
  it("never pays more than the section's annual limit", async () => {
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        fileAs(t, t.alice, claimBody(t.alice.policyId, { reference: `par-${i}` }), {
          "idempotency-key": `par-${i}`,
        }),
      ),
    );
    expect(results.map((r) => r.statusCode)).toEqual(Array(100).fill(201));
    const claims = await t.db.kysely
      .selectFrom("claims")
      .select(["payout_cents", "status"])
      .where("policy_id", "=", t.alice.policyId)
      .execute();
    const total = claims.reduce((s, c) => s + c.payout_cents, 0);
    // Section F, family: 5,000.00 a year; each claim pays 350.00 after the 50.00 deductible.
    expect(total).toBe(500000);
    expect(claims.filter((c) => c.status === "approved")).toHaveLength(15);
    expect(claims.filter((c) => c.status === "denied")).toHaveLength(85);
    const usage = await t.db.kysely
      .selectFrom("limit_usage")
      .select("used_cents")
      .where("policy_id", "=", t.alice.policyId)
      .executeTakeFirstOrThrow();
    expect(usage.used_cents).toBe(500000);
  });

  it("overrides racing new claims never push the section over its limit either", async () => {
    const policyId = t.bob.policyId;
    const waiting = await Promise.all(
      Array.from({ length: 10 }, () =>
        fileAs(t, t.bob, claimBody(policyId, { facts: { policeReport: true } })),
      ),
    );
    const ids = waiting.map((r) => r.json().id as string);
    const results = await Promise.all([
      ...ids.map((id) =>
        call(t.app, t.staff.claims_handler, "POST", `/api/staff/claims/${id}/overrides`, {
          outcome: "approved",
          payout: "900.00",
          reason: "racing override under test",
        }),
      ),
      ...Array.from({ length: 20 }, () => fileAs(t, t.bob, claimBody(policyId))),
    ]);
    expect(results.filter((r) => r.statusCode >= 500)).toEqual([]);
    expect(
      results.filter((r) => r.statusCode === 409).every((r) => r.json().code === "override_exceeds_limit"),
    ).toBe(true);
    const claims = await t.db.kysely
      .selectFrom("claims")
      .select("payout_cents")
      .where("policy_id", "=", policyId)
      .execute();
    const total = claims.reduce((s, c) => s + c.payout_cents, 0);
    expect(total).toBeLessThanOrEqual(500000);
    const usage = await t.db.kysely
      .selectFrom("limit_usage")
      .select("used_cents")
      .where("policy_id", "=", policyId)
      .executeTakeFirstOrThrow();
    expect(usage.used_cents).toBe(total);
  });
});
