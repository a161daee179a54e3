import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { explainDecision } from "../../../src/claims/explain.ts";
import { fileClaim } from "../../../src/claims/service.ts";
import type { Db } from "../../../src/db/connection.ts";
import { convertCaseToClaim } from "../../../src/flows/case-to-claim.ts";
import { giveRansomConsent } from "../../../src/flows/ransom-consent.ts";
import { createTestDb } from "../../support/db.ts";
import { catalog, inTx, newPolicy, rowCounts } from "../services/helpers.ts";
import { ctxAt, openAt } from "./support.ts";

let db: Db;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => {
  await db.close();
});

const consent = (caseId: string, at: string, maxCents: number) =>
  inTx(db, (tx) =>
    giveRansomConsent(tx, ctxAt(at, "user:sup"), { caseId, maxCents, givenByName: "Sam Super" }),
  );

const ransomClaim = (policyId: string, paidOn: string | null, amount: number, reference: string) =>
  inTx(db, (tx) =>
    fileClaim(tx, ctxAt("2026-05-10T10:00:00Z"), {
      policyId,
      reference,
      peril: "cyber_extortion",
      incidentDate: "2026-05-05",
      reportedDate: "2026-05-10",
      losses: [{ kind: "ransom", amount, paidOn }],
      facts: { policeReport: true },
    }),
  );

describe("ransom consent through the claim service", () => {
  it("refuses consent on an unentitled case, another category or another product, and records nothing", async () => {
    const policy = await newPolicy(db, { start: "2026-06-01", household: "single" });
    const early = await openAt(db, policy.id, "2026-05-20T10:00:00Z");
    expect(early.entitled).toBe(false);
    const before = await rowCounts(db);
    await expect(consent(early.id, "2026-05-20T11:00:00Z", 10_000)).rejects.toMatchObject({
      code: "consent_not_allowed",
    });
    const hacked = await openAt(db, policy.id, "2026-06-02T10:00:00Z", { category: "hacking" });
    await expect(consent(hacked.id, "2026-06-02T11:00:00Z", 10_000)).rejects.toMatchObject({
      code: "consent_not_allowed",
    });
    const be = await newPolicy(db, {
      product: "be-cyber-care",
      start: "2026-01-01",
      household: "family",
      frequency: "monthly",
    });
    const beCase = await openAt(db, be.id, "2026-03-01T10:00:00Z");
    await expect(consent(beCase.id, "2026-03-01T11:00:00Z", 10_000)).rejects.toMatchObject({
      code: "consent_not_allowed",
    });
    const counts = await rowCounts(db);
    expect(counts.audit_log! - before.audit_log!).toBe(3); // only the two cases and be's opening
  });

  it("caps the maximum at what remains of the limit after approved payouts; other consents reserve nothing", async () => {
    const policy = await newPolicy(db, { household: "single" }); // section D single: 2000.00
    const c = await openAt(db, policy.id, "2026-05-05T06:00:00Z");
    await expect(consent(c.id, "2026-05-05T07:00:00Z", 200_001)).rejects.toMatchObject({
      code: "consent_above_limit",
    });
    await consent(c.id, "2026-05-05T07:00:00Z", 200_000);
    await consent(c.id, "2026-05-05T07:10:00Z", 200_000); // reserves nothing
    // an approved payout of 1000 - 50 = 950.00 leaves 1050.00
    await ransomClaim(policy.id, "2026-05-06", 100_000, "first");
    await expect(consent(c.id, "2026-05-07T07:00:00Z", 105_001)).rejects.toMatchObject({
      code: "consent_above_limit",
    });
    await consent(c.id, "2026-05-07T07:00:00Z", 105_000);
  });

  it("pays a ransom line only with a consent on or before paidOn (the latest counts), capped at its maximum", async () => {
    const policy = await newPolicy(db, { household: "family" });
    const c = await openAt(db, policy.id, "2026-05-05T06:00:00Z");
    await consent(c.id, "2026-05-05T07:40:00Z", 80_000);
    const before = await ransomClaim(policy.id, "2026-05-04", 30_000, "before");
    expect(before.decision.outcome).toBe("denied");
    expect(before.decision.reasons).toContain("ransom_without_consent");
    const capped = await ransomClaim(policy.id, "2026-05-05", 100_000, "capped");
    expect(capped.decision.outcome).toBe("approved");
    expect(capped.decision.payout).toBe(75_000);
    expect(capped.decision.reasons).toContain("ransom_above_consent");
    await consent(c.id, "2026-05-06T07:00:00Z", 120_000);
    const later = await ransomClaim(policy.id, "2026-05-06", 100_000, "later");
    expect(later.decision.payout).toBe(95_000);
    expect(later.decision.reasons).not.toContain("ransom_above_consent");
    // the explanation names the consent: when, by whom, up to what
    const product = catalog.get("nl-cyber", 1);
    for (const language of ["nl", "fr", "en"] as const) {
      const shown = explainDecision(product, language, capped.decision);
      const text = shown.steps.map((s) => s.text).join("\n");
      expect(text).toContain("Sam Super");
      expect(text).toContain("09:40");
      expect(text).toMatch(/800/);
    }
  });

  it("without paidOn, a ransom line is judged by facts.ransomConsent as before", async () => {
    const policy = await newPolicy(db, { household: "family" });
    const plain = await ransomClaim(policy.id, null, 30_000, "plain");
    expect(plain.decision.reasons).toContain("ransom_without_consent");
  });

  it("turns a case into a claim with the peril of its category, linked both ways", async () => {
    const policy = await newPolicy(db, { household: "family" });
    const c = await openAt(db, policy.id, "2026-05-05T06:00:00Z");
    const r = await inTx(db, (tx) =>
      convertCaseToClaim(tx, ctxAt("2026-05-06T10:00:00Z", "user:handler"), {
        caseId: c.id,
        losses: [{ kind: "device_restoration", amount: 20_000 }],
        facts: { policeReport: true },
      }),
    );
    expect(r.claim.peril).toBe("cyber_extortion");
    expect(r.claim.incident_date).toBe("2026-05-05");
    expect(r.claim.facts.helplineCase).toBe(c.id);
    expect(r.case.claim_id).toBe(r.claim.id);
    const shopping = await openAt(db, policy.id, "2026-05-07T06:00:00Z", { category: "online_shopping" });
    await expect(
      inTx(db, (tx) =>
        convertCaseToClaim(tx, ctxAt("2026-05-07T10:00:00Z"), {
          caseId: shopping.id,
          losses: [{ kind: "purchase_price", amount: 20_000 }],
          facts: {},
        }),
      ),
    ).rejects.toMatchObject({ code: "validation_failed" });
  });
});
