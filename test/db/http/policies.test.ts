import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, rowCounts, startTestApp, type TestApp, validMandate } from "./helpers.ts";

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

describe("apply and bind", () => {
  it("binds a policy with a SEPA mandate for the caller's own household", async () => {
    const res = await call(t.app, t.alice, "POST", "/api/policies", apply);
    expect(res.statusCode).toBe(201);
    const p = res.json();
    expect(p).toMatchObject({
      productCode: "nl-cyber",
      status: "pending",
      holder: { partyId: t.alice.partyId, name: "Alice Aalders" },
      household: "single",
      premium: { installment: "4.12", installments: 12, annualTotal: "49.44" },
      mandate: { iban: "NL91**********4300", signedOn: "2026-03-15", accountHolder: "Alice Aalders" },
      cancellation: null,
    });
    expect(p.mandate.reference).toBe(`${p.number}-M0`);
    const got = await call(t.app, t.alice, "GET", `/api/policies/${p.id}`);
    expect(got.json()).toEqual(p);
  });

  it("refuses a bad IBAN, a missing mandate and the wrong payment method, changing nothing", async () => {
    const before = await rowCounts(t.db);
    const badIban = await call(t.app, t.alice, "POST", "/api/policies", {
      ...apply,
      mandate: { ...validMandate, iban: "NL91ABNA0417164301" },
    });
    expect(badIban.statusCode).toBe(422);
    expect(badIban.json()).toMatchObject({ code: "invalid_iban", errors: [{ path: "mandate.iban" }] });
    const noMandate = await call(t.app, t.alice, "POST", "/api/policies", { ...apply, mandate: undefined });
    expect(noMandate.json()).toMatchObject({ code: "validation_failed", errors: [{ path: "mandate" }] });
    const transfer = await call(t.app, t.alice, "POST", "/api/policies", {
      ...apply,
      paymentMethod: "bank_transfer",
      mandate: undefined,
    });
    expect(transfer.json()).toMatchObject({
      code: "monthly_requires_direct_debit",
      errors: [{ path: "paymentMethod" }],
    });
    const past = await call(t.app, t.alice, "POST", "/api/policies", { ...apply, startDate: "2026-03-01" });
    expect(past.json()).toMatchObject({ code: "dates_out_of_order", errors: [{ path: "startDate" }] });
    const party = await call(t.app, t.alice, "POST", "/api/policies", { ...apply, partyId: t.bob.partyId });
    expect(party.json().errors[0].path).toBe("partyId");
    expect(await rowCounts(t.db)).toEqual(before);
  });

  it("lets a helpline agent bind for a new policyholder", async () => {
    const res = await call(t.app, t.staff.helpline_agent, "POST", "/api/policies", {
      ...apply,
      party: { name: "Carla Claes", email: "carla@example.test" },
      startDate: "2026-01-10",
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ holder: { name: "Carla Claes" }, status: "in_force" });
    const none = await call(t.app, t.staff.helpline_agent, "POST", "/api/policies", apply);
    expect(none.json().errors[0].path).toBe("party");
  });
});

describe("idempotency", () => {
  it("replays the first response for a retry and refuses the key with another body", async () => {
    const key = { "idempotency-key": "bind-0001" };
    const before = await rowCounts(t.db);
    const first = await call(
      t.app,
      t.bob,
      "POST",
      "/api/policies",
      { ...apply, mandate: { ...validMandate, accountHolder: "Bob Bakker" } },
      key,
    );
    expect(first.statusCode).toBe(201);
    const retry = await call(
      t.app,
      t.bob,
      "POST",
      "/api/policies",
      { ...apply, mandate: { ...validMandate, accountHolder: "Bob Bakker" } },
      key,
    );
    expect(retry.statusCode).toBe(201);
    expect(retry.headers["idempotent-replayed"]).toBe("true");
    expect(retry.json()).toEqual(first.json());
    const after = await rowCounts(t.db);
    expect(after.policies).toBe(before.policies! + 1);
    const other = await call(
      t.app,
      t.bob,
      "POST",
      "/api/policies",
      { ...apply, household: "family", mandate: { ...validMandate, accountHolder: "Bob Bakker" } },
      key,
    );
    expect(other.statusCode).toBe(422);
    expect(other.json()).toMatchObject({
      code: "idempotency_key_reused",
      errors: [{ path: "idempotency-key" }],
    });
    expect(await rowCounts(t.db)).toEqual(after);
  });

  it("keeps keys per caller and does not store refused requests", async () => {
    const key = { "idempotency-key": "shared-key" };
    const refused = await call(
      t.app,
      t.alice,
      "POST",
      "/api/policies",
      { ...apply, household: "triple" },
      key,
    );
    expect(refused.statusCode).toBe(400);
    const ok = await call(t.app, t.alice, "POST", "/api/policies", apply, key);
    expect(ok.statusCode).toBe(201);
    const bobs = await call(
      t.app,
      t.bob,
      "POST",
      "/api/policies",
      { ...apply, mandate: { ...validMandate, accountHolder: "Bob" } },
      key,
    );
    expect(bobs.statusCode).toBe(201);
    expect(bobs.json().id).not.toBe(ok.json().id);
    const bad = await call(t.app, t.alice, "POST", "/api/policies", apply, { "idempotency-key": "" });
    expect(bad.statusCode).toBe(400);
  });
});

describe("a policy's life", () => {
  it("lists only the caller's own policies; staff see all", async () => {
    const mine = await call(t.app, t.bob, "GET", "/api/policies");
    expect(mine.statusCode).toBe(200);
    expect(
      mine.json().items.every((p: { holder: { partyId: string } }) => p.holder.partyId === t.bob.partyId),
    ).toBe(true);
    const all = await call(t.app, t.staff.claims_handler, "GET", "/api/policies?limit=200");
    expect(all.json().total).toBeGreaterThan(mine.json().total);
  });

  it("changes the household from a date", async () => {
    const res = await call(t.app, t.alice, "POST", `/api/policies/${t.alice.policyId}/household-changes`, {
      household: "single",
      effectiveDate: "2026-03-01",
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      change: { effectiveDate: "2026-03-01", household: "single" },
      policy: {
        household: "single",
        householdChanges: [{ effectiveDate: "2026-03-01", household: "single" }],
        premium: { annualTotal: "48.00" },
      },
    });
    const early = await call(t.app, t.alice, "POST", `/api/policies/${t.alice.policyId}/household-changes`, {
      household: "family",
      effectiveDate: "2025-12-01",
    });
    expect(early.json()).toMatchObject({ code: "dates_out_of_order", errors: [{ path: "effectiveDate" }] });
  });

  it("cancels with the effective-date rule and the refund in the response, once", async () => {
    const url = `/api/policies/${t.bob.policyId}/cancellation`;
    const forbidden = await call(t.app, t.bob, "POST", url, {
      effective: "2026-03-01",
      requestedOn: "2026-03-01",
    });
    expect(forbidden.json()).toMatchObject({ code: "forbidden", errors: [{ path: "requestedOn" }] });
    const res = await call(t.app, t.bob, "POST", url, { effective: "2026-03-01" });
    expect(res.statusCode).toBe(200);
    // Not before the request (15 March); 292 unused days of the paid 72.00 for 2026.
    expect(res.json().cancellation).toEqual({
      requestedOn: "2026-03-15",
      effective: "2026-03-15",
      refund: "57.60",
      paidForPeriod: "72.00",
      period: { start: "2026-01-01", end: "2027-01-01" },
      unusedDays: 292,
      periodDays: 365,
    });
    expect(res.json().policy).toMatchObject({
      status: "ended",
      endDate: "2026-03-15",
      cancellation: { refund: "57.60" },
    });
    const again = await call(t.app, t.bob, "POST", url, { effective: "2026-04-01" });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe("policy_not_active");
  });

  it("shows the timeline without internals", async () => {
    const res = await call(t.app, t.bob, "GET", `/api/policies/${t.bob.policyId}/timeline`);
    expect(res.statusCode).toBe(200);
    const events = res.json().items.map((e: { event: string }) => e.event);
    expect(events).toEqual(["policy.bound", "policy.cancelled"]);
    expect(res.json().items[1]).toMatchObject({
      by: "you",
      details: { effective: "2026-03-15", refund: "57.60" },
    });
  });

  it("replaces the SEPA mandate of a direct-debit policy", async () => {
    const list = await call(t.app, t.alice, "GET", "/api/policies");
    const sepa = list
      .json()
      .items.find((p: { paymentMethod: string }) => p.paymentMethod === "sepa_direct_debit");
    const res = await call(t.app, t.alice, "POST", `/api/policies/${sepa.id}/mandate`, {
      ...validMandate,
      iban: "NL20 INGB 0001 2345 67",
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ iban: "NL20**********4567", reference: `${sepa.number}-M1` });
    const transfer = await call(
      t.app,
      t.alice,
      "POST",
      `/api/policies/${t.alice.policyId}/mandate`,
      validMandate,
    );
    expect(transfer.statusCode).toBe(400);
  });
});
