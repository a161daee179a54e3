import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileClaim } from "../../../src/claims/service.ts";
import type { Db } from "../../../src/db/connection.ts";
import { cancelPolicyWithBilling } from "../../../src/flows/cancel-policy.ts";
import { changeHouseholdWithBilling } from "../../../src/flows/change-household.ts";
import { recordPremiumPayment, recordPremiumReminder } from "../../../src/policies/premium-default.ts";
import { touchPolicy } from "../../../src/policies/repository.ts";
import { createTestDb } from "../../support/db.ts";
import { ctxOn, inTx, newPolicy, rowCounts } from "./helpers.ts";

let db: Db;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => {
  await db.close();
});

describe("policy services", () => {
  it("answers a write that lost the race on the policy's version with a conflict, not a crash", async () => {
    const policy = await newPolicy(db, { product: "nl-cyber", frequency: "annual" });
    await inTx(db, (tx) => touchPolicy(tx, ctxOn("2026-02-01"), policy));
    // `policy` still carries the version before the touch: a second writer that read it too.
    await expect(inTx(db, (tx) => touchPolicy(tx, ctxOn("2026-02-01"), policy))).rejects.toMatchObject({
      code: "conflict",
    });
  });

  it("binds a policy under the product version it was sold with and audits it", async () => {
    const policy = await newPolicy(db, { product: "be-cyber-care", frequency: "monthly" });
    expect(policy).toMatchObject({
      product_code: "be-cyber-care",
      product_version: 1,
      household: "family",
      start_date: "2026-01-01",
    });
    expect(policy.number).toMatch(/^BE-P\d{8}$/);
    const audit = await db.kysely
      .selectFrom("audit_log")
      .selectAll()
      .where("entity_id", "=", policy.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(["policy.bound"]);
  });

  it("refuses a frequency or household the product does not offer, writing nothing", async () => {
    const before = await rowCounts(db);
    await expect(newPolicy(db, { product: "be-cyber-care", frequency: "annual" })).rejects.toMatchObject({
      code: "frequency_not_offered",
    });
    await expect(
      newPolicy(db, { product: "be-cyber-care", household: "single", frequency: "monthly" }),
    ).rejects.toMatchObject({
      code: "household_not_offered",
    });
    await expect(newPolicy(db, { product: "xx-unknown" })).rejects.toMatchObject({ code: "unknown_product" });
    expect(await rowCounts(db)).toEqual(before);
  });

  it("cancels on the request date at the earliest and refunds the unused days", async () => {
    const policy = await newPolicy(db, { household: "family" });
    const result = await inTx(db, (tx) =>
      cancelPolicyWithBilling(tx, ctxOn("2026-07-02"), {
        policyId: policy.id,
        requestedOn: "2026-07-02",
        effective: "2026-06-01",
      }),
    );
    expect(result).toMatchObject({
      effective: "2026-07-02",
      refund: 3610,
      paidForPeriod: 7200,
      unusedDays: 183,
      periodDays: 365,
    });
    const row = await db.kysely
      .selectFrom("policies")
      .selectAll()
      .where("id", "=", policy.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      end_date: "2026-07-02",
      end_reason: "cancelled",
      cancel_refund_cents: 3610,
      version: 2,
    });
    await expect(
      inTx(db, (tx) =>
        cancelPolicyWithBilling(tx, ctxOn("2026-07-03"), {
          policyId: policy.id,
          requestedOn: "2026-07-03",
          effective: "2026-07-03",
        }),
      ),
    ).rejects.toMatchObject({ code: "policy_not_active" });
  });

  it("refunds nothing for a period whose premium is still unpaid", async () => {
    const policy = await newPolicy(db, { household: "single", frequency: "monthly" });
    await inTx(db, (tx) =>
      recordPremiumReminder(tx, ctxOn("2026-03-05"), {
        policyId: policy.id,
        dueDate: "2026-03-01",
        reminderDate: "2026-03-05",
      }),
    );
    const r = await inTx(db, (tx) =>
      cancelPolicyWithBilling(tx, ctxOn("2026-03-10"), {
        policyId: policy.id,
        requestedOn: "2026-03-10",
        effective: "2026-03-10",
      }),
    );
    expect(r).toMatchObject({ refund: 0, paidForPeriod: 0 });
  });

  it("suspends cover from the 15th day after an unpaid reminder and revives it the day after payment", async () => {
    const policy = await newPolicy(db, { household: "single", frequency: "monthly" });
    const { suspensions } = await inTx(db, (tx) =>
      recordPremiumReminder(tx, ctxOn("2026-03-05"), {
        policyId: policy.id,
        dueDate: "2026-03-01",
        reminderDate: "2026-03-05",
      }),
    );
    expect(suspensions).toEqual([expect.objectContaining({ from: "2026-03-20", until: null })]);
    const paid = await inTx(db, (tx) =>
      recordPremiumPayment(tx, ctxOn("2026-03-25"), { policyId: policy.id, receivedOn: "2026-03-25" }),
    );
    expect(paid.settledReminders).toBe(1);
    const stored = await db.kysely
      .selectFrom("premium_suspensions")
      .selectAll()
      .where("policy_id", "=", policy.id)
      .execute();
    expect(stored).toEqual([expect.objectContaining({ from_date: "2026-03-20", until_date: "2026-03-25" })]);
    const claim = (date: string) =>
      inTx(db, (tx) =>
        fileClaim(tx, ctxOn(date), {
          policyId: policy.id,
          peril: "hacking",
          incidentDate: date,
          reportedDate: date,
          losses: [{ kind: "device_repair", amount: 20000 }],
          facts: { policeReport: true },
        }),
      );
    expect((await claim("2026-03-25")).decision.reasons).toEqual(["cover_suspended"]);
    expect((await claim("2026-03-26")).decision.outcome).toBe("approved");
  });

  it("applies a household endorsement from its date and refuses one before the start", async () => {
    const policy = await newPolicy(db, { household: "family", start: "2026-02-01" });
    await inTx(db, (tx) =>
      changeHouseholdWithBilling(tx, ctxOn("2026-04-01"), {
        policyId: policy.id,
        effectiveDate: "2026-04-01",
        household: "single",
      }),
    );
    const rows = await db.kysely
      .selectFrom("policy_endorsements")
      .selectAll()
      .where("policy_id", "=", policy.id)
      .execute();
    expect(rows).toEqual([expect.objectContaining({ effective_date: "2026-04-01", household: "single" })]);
    await expect(
      inTx(db, (tx) =>
        changeHouseholdWithBilling(tx, ctxOn("2026-04-01"), {
          policyId: policy.id,
          effectiveDate: "2026-01-01",
          household: "family",
        }),
      ),
    ).rejects.toMatchObject({ code: "dates_out_of_order" });
  });
});
