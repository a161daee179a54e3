import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileClaim } from "../../../src/claims/service.ts";
import type { Db } from "../../../src/db/connection.ts";
import { changeHouseholdWithBilling } from "../../../src/flows/change-household.ts";
import { indemnitySections } from "../../../src/products/schema.ts";
import { addDays } from "../../../src/shared/dates.ts";
import { createTestDb } from "../../support/db.ts";
import { catalog, ctxOn, inTx, newPolicy } from "./helpers.ts";

let db: Db;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => {
  await db.close();
});

const product = catalog.get("nl-cyber");
const sections = indemnitySections(product);
const kindFor = (peril: string) => Object.keys(sections.find((s) => s.perils.includes(peril))!.lossKinds)[0]!;

const event = fc.oneof(
  fc.record({
    type: fc.constant("claim" as const),
    peril: fc.constantFrom(...sections.flatMap((s) => s.perils)),
    amount: fc.integer({ min: 0, max: 400_000 }),
    gap: fc.integer({ min: 0, max: 60 }),
  }),
  fc.record({
    type: fc.constant("household" as const),
    household: fc.constantFrom("single" as const, "family" as const),
    gap: fc.integer({ min: 1, max: 60 }),
  }),
);

describe("limits through the services, on the real database", () => {
  it("never pays beyond the annual limit of the household in force, for any claims and household changes", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("single" as const, "family" as const),
        fc.array(event, { minLength: 1, maxLength: 12 }),
        async (household, events) => {
          const policy = await newPolicy(db, { household, start: "2026-01-01" });
          let date = "2026-01-01";
          let current = household;
          for (const e of events) {
            date = addDays(date, e.gap);
            if (e.type === "household") {
              await inTx(db, (tx) =>
                changeHouseholdWithBilling(tx, ctxOn(date), {
                  policyId: policy.id,
                  effectiveDate: date,
                  household: e.household,
                }),
              );
              current = e.household;
              continue;
            }
            const { decision } = await inTx(db, (tx) =>
              fileClaim(tx, ctxOn(date), {
                policyId: policy.id,
                peril: e.peril,
                incidentDate: date,
                reportedDate: date,
                losses: [{ kind: kindFor(e.peril), amount: e.amount }],
                facts: { policeReport: true, bankRefusalProof: true },
              }),
            );
            const section = sections.find((s) => s.perils.includes(e.peril))!;
            if (section.perEventLimit !== null)
              expect(decision.payout).toBeLessThanOrEqual(section.perEventLimit);
            if (decision.outcome !== "approved") continue;
            const usage = await db.kysely
              .selectFrom("limit_usage")
              .select("used_cents")
              .where("policy_id", "=", policy.id)
              .where("section", "=", section.code)
              .where("policy_year_start", "=", decision.policyYear!.start)
              .executeTakeFirstOrThrow();
            expect(usage.used_cents).toBeLessThanOrEqual(section.annualLimit[current]!);
            const paid = await db.kysely
              .selectFrom("claims")
              .innerJoin("claim_decisions", (j) =>
                j
                  .onRef("claim_decisions.claim_id", "=", "claims.id")
                  .onRef("claim_decisions.sequence", "=", "claims.current_decision"),
              )
              .select((eb) => eb.fn.sum<number>("claims.payout_cents").as("total"))
              .where("claims.policy_id", "=", policy.id)
              .where("claims.section", "=", section.code)
              .where("claim_decisions.policy_year_start", "=", decision.policyYear!.start)
              .executeTakeFirstOrThrow();
            expect(Number(paid.total)).toBe(usage.used_cents);
          }
        },
      ),
      { numRuns: 12, seed: 20261122 },
    );
  }, 240_000);
});
