import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileClaim, supplyClaimFacts } from "../../../src/claims/service.ts";
import type { Db } from "../../../src/db/connection.ts";
import { createTestDb } from "../../support/db.ts";
import { ctxOn, inTx, newPolicy, rowCounts } from "./helpers.ts";

let db: Db;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => {
  await db.close();
});

describe("fileClaim / supplyClaimFacts", () => {
  it("stores the claim, its lines, facts, a decision with explanation, usage and audit in one go", async () => {
    const policy = await newPolicy(db);
    const { claim, decision } = await inTx(db, (tx) =>
      fileClaim(tx, ctxOn("2026-02-03"), {
        policyId: policy.id,
        reference: "r1",
        peril: "hacking",
        incidentDate: "2026-02-03",
        reportedDate: "2026-02-03",
        losses: [{ kind: "device_repair", amount: 48000 }],
        facts: { policeReport: true },
      }),
    );
    expect(decision.outcome).toBe("approved");
    expect(decision.payout).toBe(43000);
    expect(claim.status).toBe("approved");
    expect(claim.payout_cents).toBe(43000);
    const stored = await db.kysely
      .selectFrom("claim_decisions")
      .selectAll()
      .where("claim_id", "=", claim.id)
      .execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.payout_cents).toBe(43000);
    expect(stored[0]!.product_code).toBe("nl-cyber");
    expect(stored[0]!.product_version).toBe(1);
    expect(stored[0]!.policy_year_start).toBe("2026-01-01");
    expect(Array.isArray(stored[0]!.explanation)).toBe(true);
    expect((stored[0]!.explanation as { code: string }[]).length).toBeGreaterThan(4);
    const usage = await db.kysely
      .selectFrom("limit_usage")
      .selectAll()
      .where("policy_id", "=", policy.id)
      .execute();
    expect(usage).toEqual([
      expect.objectContaining({ section: "C", policy_year_start: "2026-01-01", used_cents: 43000 }),
    ]);
    const audit = await db.kysely
      .selectFrom("audit_log")
      .select("action")
      .where("entity_id", "=", claim.id)
      .orderBy("id")
      .execute();
    expect(audit.map((a) => a.action)).toEqual(["claim.filed", "claim.decided"]);
  });

  it("asks for information, then re-decides with the supplied facts and keeps the fact history", async () => {
    const policy = await newPolicy(db, { household: "single" });
    const first = await inTx(db, (tx) =>
      fileClaim(tx, ctxOn("2026-03-10"), {
        policyId: policy.id,
        peril: "online_purchase_fraud",
        incidentDate: "2026-03-09",
        reportedDate: "2026-03-10",
        losses: [{ kind: "purchase_price", amount: 30000 }],
        facts: {},
      }),
    );
    expect(first.decision.outcome).toBe("needs_information");
    expect(first.decision.missing).toEqual(["police_report", "bank_refusal_proof"]);
    const second = await inTx(db, (tx) =>
      supplyClaimFacts(tx, ctxOn("2026-03-12"), {
        claimId: first.claim.id,
        facts: { policeReport: true, bankRefusalProof: true },
        date: "2026-03-12",
      }),
    );
    expect(second.decision).toMatchObject({ outcome: "approved", payout: 25000 });
    const facts = await db.kysely
      .selectFrom("claim_facts")
      .select(["facts", "supplied_on"])
      .where("claim_id", "=", first.claim.id)
      .orderBy("id")
      .execute();
    expect(facts).toEqual([
      { facts: {}, supplied_on: "2026-03-10" },
      { facts: { policeReport: true, bankRefusalProof: true }, supplied_on: "2026-03-12" },
    ]);
    await expect(
      inTx(db, (tx) =>
        supplyClaimFacts(tx, ctxOn("2026-03-13"), { claimId: first.claim.id, facts: {}, date: "2026-03-13" }),
      ),
    ).rejects.toMatchObject({ code: "claim_not_open" });
  });

  it("refuses unknown perils, loss kinds and dates out of order, and writes nothing", async () => {
    const policy = await newPolicy(db);
    const before = await rowCounts(db);
    const base = {
      policyId: policy.id,
      peril: "hacking",
      incidentDate: "2026-02-03",
      reportedDate: "2026-02-03",
      losses: [{ kind: "device_repair", amount: 100 }],
      facts: {},
    };
    await expect(
      inTx(db, (tx) => fileClaim(tx, ctxOn("2026-02-03"), { ...base, peril: "alien_abduction" })),
    ).rejects.toMatchObject({
      code: "unknown_peril",
      issues: [expect.objectContaining({ path: "peril" })],
    });
    await expect(
      inTx(db, (tx) =>
        fileClaim(tx, ctxOn("2026-02-03"), { ...base, losses: [{ kind: "yacht", amount: 100 }] }),
      ),
    ).rejects.toMatchObject({
      code: "unknown_loss_kind",
      issues: [expect.objectContaining({ path: "losses.0.kind" })],
    });
    await expect(
      inTx(db, (tx) => fileClaim(tx, ctxOn("2026-02-03"), { ...base, reportedDate: "2026-02-01" })),
    ).rejects.toMatchObject({
      code: "dates_out_of_order",
    });
    expect(await rowCounts(db)).toEqual(before);
  });

  it("decides by the annual limit across claims and policy years", async () => {
    const policy = await newPolicy(db, { household: "single", start: "2026-05-15" });
    const file = (date: string, amount: number) =>
      inTx(db, (tx) =>
        fileClaim(tx, ctxOn(date), {
          policyId: policy.id,
          peril: "hacking",
          incidentDate: date,
          reportedDate: date,
          losses: [{ kind: "device_repair", amount }],
          facts: { policeReport: true },
        }),
      );
    expect((await file("2026-06-01", 100000)).decision.payout).toBe(95000);
    expect((await file("2027-05-14", 100000)).decision).toMatchObject({
      payout: 55000,
      reasons: ["annual_limit"],
    });
    // 2027-05-15 is the first anniversary: a new policy year, a fresh limit.
    expect((await file("2027-05-15", 100000)).decision).toMatchObject({ outcome: "approved", payout: 95000 });
  });
});
