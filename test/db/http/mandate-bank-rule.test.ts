import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { billingConfig } from "../../../src/billing/config.ts";
import { runBilling } from "../../../src/billing/run/run.ts";
import { backend } from "../../support/db.ts";
import { call, ctx, rowCounts, startTestApp, type TestApp, validMandate } from "./helpers.ts";

/**
 * Issue 10 item 1: a mandate the pain.008 writer would refuse is refused when it is registered,
 * by the same rule (src/bank/mandate.ts), at binding and when a new mandate is given.
 */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const apply = {
  product: "nl-cyber",
  household: "single",
  startDate: "2026-04-01",
  paymentFrequency: "monthly",
  paymentMethod: "sepa_direct_debit",
  mandate: validMandate,
};

// What the bank file can't carry, and the field the refusal names (helpers' clock: 2026-03-15). An
// IBAN keeps the code it always had (invalid_iban, 422); the rest are validation_failed (400).
const refused: [string, Partial<typeof validMandate>, string, string][] = [
  ["an emoji account holder", { accountHolder: "😀" }, "accountHolder", "SEPA character"],
  ["an Arabic-Indic account holder", { accountHolder: "١٢٣" }, "accountHolder", "SEPA character"],
  // Beyond any date the API takes at all (dateInput), before the bank rule is asked.
  ["a signature in the far future", { signedOn: "9999-12-31" }, "signedOn", "must lie between"],
  ["a signature tomorrow", { signedOn: "2026-03-16" }, "signedOn", "today 2026-03-15"],
  ["year 0000", { signedOn: "0000-01-01" }, "signedOn", ""],
  ["a Brazilian IBAN", { iban: "BR1800360305000010009795493C1" }, "iban", "SEPA country"],
  ["a Turkish IBAN", { iban: "TR330006100519786457841326" }, "iban", "SEPA country"],
  ["a Saudi IBAN", { iban: "SA0380000000608010167519" }, "iban", "SEPA country"],
];

describe("a mandate the bank file can't carry", () => {
  it.each(refused)("is refused at binding: %s", async (_what, change, field, message) => {
    const before = await rowCounts(t.db);
    const res = await call(t.app, t.alice, "POST", "/api/policies", {
      ...apply,
      mandate: { ...validMandate, ...change },
    });
    expect(res.statusCode).toBe(field === "iban" ? 422 : 400);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    const body = res.json();
    expect(body.errors).toContainEqual({
      path: `mandate.${field}`,
      message: expect.stringContaining(message),
    });
    expect(await rowCounts(t.db)).toEqual(before);
  });

  it.each(refused)("is refused as a new mandate: %s", async (_what, change, field, message) => {
    const bound = await call(t.app, t.alice, "POST", "/api/policies", apply);
    expect(bound.statusCode).toBe(201);
    const before = await rowCounts(t.db);
    const res = await call(t.app, t.alice, "POST", `/api/policies/${bound.json().id}/mandate`, {
      ...validMandate,
      ...change,
    });
    expect(res.statusCode).toBe(field === "iban" ? 422 : 400);
    expect(res.json().code).toBe(field === "iban" ? "invalid_iban" : "validation_failed");
    expect(res.json().errors).toContainEqual({ path: field, message: expect.stringContaining(message) });
    expect(await rowCounts(t.db)).toEqual(before);
  });

  it("still takes what the writer transliterates: accents, an apostrophe, a BIC, signed today", async () => {
    const res = await call(t.app, t.alice, "POST", "/api/policies", {
      ...apply,
      mandate: {
        ...validMandate,
        accountHolder: "Zoë van 't Hoff-Ñúñez",
        bic: "ABNANL2A",
        signedOn: "2026-03-15",
      },
    });
    expect(res.statusCode).toBe(201);
  });
});

describe("GET /api/billing/set-aside", () => {
  it("shows finance the debits a run set aside, and nobody else", async () => {
    const bound = await call(t.app, t.bob, "POST", "/api/policies", {
      ...apply,
      startDate: "2026-03-20",
      mandate: { ...validMandate, accountHolder: "Bob Bakker" },
    });
    expect(bound.statusCode).toBe(201);
    const { id, number } = bound.json();
    // Registered before the rule was enforced, or changed since: the run sets its debit aside.
    await sql`update sepa_mandates set account_holder = '😀' where policy_id = ${id}`.execute(t.db.kysely);
    const out = await mkdtemp(join(tmpdir(), "cp-set-aside-api-"));
    try {
      await runBilling(t.db.kysely, ctx(), {
        date: "2026-03-31",
        outDir: out,
        config: billingConfig({}),
        pooled: backend === "postgres",
      });
    } finally {
      await rm(out, { recursive: true, force: true });
    }
    const res = await call(t.app, t.staff.finance, "GET", "/api/billing/set-aside");
    expect(res.statusCode).toBe(200);
    const items = res.json().items.filter((i: { policyNumber: string }) => i.policyNumber === number);
    expect(items).toEqual([
      {
        id: expect.any(Number),
        kind: "invoice",
        runDate: "2026-03-31",
        policyNumber: number,
        reference: `${number}-20260320`,
        amount: "4.12",
        reason: "debtorName: must contain at least one SEPA character",
        setAsideOn: "2026-03-31",
        resolved: false,
      },
    ]);
    for (const who of [t.bob, t.staff.helpline_agent, t.staff.claims_handler]) {
      expect((await call(t.app, who, "GET", "/api/billing/set-aside")).statusCode).toBe(403);
    }
  });
});
