import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backend } from "../../support/db.ts";
import { call, startTestApp, type TestApp } from "./helpers.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

// PGlite has one connection, so requests never overlap there; the race exists only on a server.
describe.runIf(backend === "postgres")("50 concurrent household changes on one policy", () => {
  it("end in successes or 409 conflicts, never a 5xx, and every success is recorded", async () => {
    const path = `/api/policies/${t.alice.policyId}/household-changes`;
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        call(t.app, t.alice, "POST", path, {
          household: i % 2 === 0 ? "family" : "single",
          // Dates from 1 April onwards, several requests on each date so they fight over the same rows.
          effectiveDate: `2026-04-${String(1 + (i % 10)).padStart(2, "0")}`,
        }),
      ),
    );
    const statuses = results.map((r) => r.statusCode);
    expect(statuses.filter((s) => s !== 201 && s !== 409)).toEqual([]);
    for (const r of results.filter((x) => x.statusCode === 409)) expect(r.json().code).toBe("conflict");
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThan(0);
    const audited = await t.db.kysely
      .selectFrom("audit_log")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("action", "=", "policy.household_changed")
      .where("entity_id", "=", t.alice.policyId)
      .executeTakeFirstOrThrow();
    expect(Number(audited.n)).toBe(statuses.filter((s) => s === 201).length);
  });
});
