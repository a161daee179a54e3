import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestOverride } from "../../../src/claims/override.ts";
import { fileClaim } from "../../../src/claims/service.ts";
import type { Db } from "../../../src/db/connection.ts";
import { indemnitySections } from "../../../src/products/schema.ts";
import { isAppError } from "../../../src/shared/errors.ts";
import { createTestDb } from "../../support/db.ts";
import { catalog, ctxOn, inTx, newPolicy } from "./helpers.ts";

/**
 * Issue 14 item 7 through the claim service on the real database: whatever a handler asks, an
 * override that is not ex gratia pays at most the loss minus the deductible, within the per-event
 * cap and the annual limit's room; a refused one changes nothing.
 */
let db: Db;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(() => db.close());

const product = catalog.get("nl-cyber");
const sections = indemnitySections(product);

describe("overrides on random claims", () => {
  it("never pay beyond the cover unless marked ex gratia", { timeout: 240_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...sections),
        fc.array(fc.integer({ min: 1, max: 800_000 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 0, max: 1_200_000 }),
        async (section, losses, payout) => {
          const policy = await newPolicy(db, { household: "family", start: "2026-01-01" });
          const kind = Object.keys(section.lossKinds)[0]!;
          const filed = await inTx(db, (tx) =>
            fileClaim(tx, ctxOn("2026-03-02"), {
              policyId: policy.id,
              peril: section.perils[0]!,
              incidentDate: "2026-03-01",
              reportedDate: "2026-03-02",
              losses: losses.map((amount) => ({ kind, amount })),
              facts: { policeReport: true, bankRefusalProof: true, ransomConsent: true },
            }),
          );
          const claimed = losses.reduce((a, b) => a + b, 0);
          const cap = Math.min(
            Math.max(0, claimed - section.deductible),
            section.perEventLimit ?? Number.MAX_SAFE_INTEGER,
            section.annualLimit.family ?? 0,
          );
          const before = await db.kysely
            .selectFrom("claims")
            .select(["payout_cents", "version"])
            .where("id", "=", filed.claim.id)
            .executeTakeFirstOrThrow();
          try {
            const r = await inTx(db, (tx) =>
              requestOverride(
                tx,
                ctxOn("2026-03-05"),
                {
                  claimId: filed.claim.id,
                  outcome: "approved",
                  payout,
                  reason: "re-assessed by the handler",
                },
                Number.MAX_SAFE_INTEGER,
              ),
            );
            expect(payout).toBeLessThanOrEqual(cap);
            expect(r.claim.payout_cents).toBe(payout);
            expect(r.claim.ex_gratia_cents).toBe(0);
          } catch (e) {
            if (!isAppError(e)) throw e;
            expect(["override_exceeds_cover", "override_exceeds_limit"]).toContain(e.code);
            expect(payout).toBeGreaterThan(cap);
            const after = await db.kysely
              .selectFrom("claims")
              .select(["payout_cents", "version"])
              .where("id", "=", filed.claim.id)
              .executeTakeFirstOrThrow();
            expect(after).toEqual(before);
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});
