import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimBody, fileAs, pdf } from "./claims-support.ts";
import { dataFingerprint } from "./fingerprint.ts";
import { call, startTestApp, type TestApp, validMandate } from "./helpers.ts";

/** Issue 10 item 5: each of these inputs reached the database and came back as a 500. */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** A refusal as problem+json with the code and the field it names, and not one row changed. */
async function refused(
  send: () => Promise<LightMyRequestResponse>,
  expected: { status: number; code: string; path?: string },
) {
  const before = await dataFingerprint(t.db);
  const res = await send();
  expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
  const body = res.json();
  expect({ status: res.statusCode, code: body.code }).toEqual({
    status: expected.status,
    code: expected.code,
  });
  if (expected.path) expect(body.errors.map((e: { path: string }) => e.path)).toContain(expected.path);
  expect(await dataFingerprint(t.db)).toBe(before);
}

const invalid = (path: string) => ({ status: 400, code: "validation_failed", path });

describe("text the database cannot store", () => {
  it("refuses NUL in a body field, in a login e-mail and in a query", async () => {
    await refused(
      () => call(t.app, t.alice, "POST", "/api/auth/tokens", { label: "a\u0000b" }),
      invalid("label"),
    );
    await refused(
      () => call(t.app, null, "POST", "/api/auth/login", { email: "a\u0000b@x.test", password: "x" }),
      invalid("email"),
    );
    await refused(() => call(t.app, t.staff.admin, "GET", "/api/policies?number=%00"), invalid("number"));
    await refused(
      () =>
        call(t.app, t.staff.claims_handler, "POST", `/api/staff/claims/${t.alice.policyId}/referral`, {
          reason: "look at\u0000 this",
        }),
      invalid("reason"),
    );
  });

  it("refuses NUL in the file name of an evidence upload", async () => {
    const claim = (await fileAs(t, t.alice, claimBody(t.alice.policyId))).json().id;
    await refused(
      () =>
        t.app.inject({
          method: "POST",
          url: `/api/claims/${claim}/evidence?kind=other&fileName=a%00b.pdf`,
          headers: { ...t.alice.headers, "content-type": "application/pdf" },
          payload: pdf(),
        }),
      invalid("fileName"),
    );
  });

  it("refuses a lone surrogate in a claim fact, escaped or not", async () => {
    await refused(
      () =>
        fileAs(t, t.alice, claimBody(t.alice.policyId, { facts: { policeReport: true, note: "\ud800" } })),
      invalid("facts.note"),
    );
    const escaped = JSON.stringify(claimBody(t.alice.policyId, { facts: { note: "@" } })).replace(
      "@",
      "\\udfff",
    );
    await refused(
      () => call(t.app, t.alice, "POST", "/api/claims", escaped, { "content-type": "application/json" }),
      invalid("facts.note"),
    );
  });

  it("still takes text with emoji and other characters outside the BMP (surrogate pairs)", async () => {
    const res = await call(t.app, t.alice, "POST", "/api/auth/tokens", { label: "laptop 😀 𝄞" });
    expect(res.statusCode).toBe(201);
    expect(res.json().label).toBe("laptop 😀 𝄞");
  });
});

describe("dates", () => {
  it.each(["0000-01-01", "1899-12-31", "3000-01-01", "9999-12-31", "2026-02-30"])(
    "refuses %s in every kind of date field",
    async (date) => {
      await refused(
        () => fileAs(t, t.alice, claimBody(t.alice.policyId, { incidentDate: date })),
        invalid("incidentDate"),
      );
      await refused(
        () =>
          call(t.app, t.alice, "POST", `/api/policies/${t.alice.policyId}/cancellation`, { effective: date }),
        invalid("effective"),
      );
      await refused(
        () =>
          call(t.app, t.alice, "POST", "/api/policies", {
            product: "nl-cyber",
            household: "single",
            startDate: "2026-04-01",
            paymentFrequency: "monthly",
            paymentMethod: "sepa_direct_debit",
            mandate: { ...validMandate, signedOn: date },
          }),
        invalid("mandate.signedOn"),
      );
    },
  );
});

describe("dates at the edge of the range", () => {
  it("answers a policy that starts on the last accepted day, though its dates run past it", async () => {
    const res = await call(t.app, t.staff.admin, "POST", "/api/policies", {
      product: "nl-cyber",
      household: "single",
      startDate: "2999-12-31",
      paymentFrequency: "annual",
      paymentMethod: "bank_transfer",
      party: { name: "Late Starter" },
    });
    expect(res.statusCode).toBe(201);
    const cancel = await call(t.app, t.staff.admin, "POST", `/api/policies/${res.json().id}/cancellation`, {
      effective: "2999-12-31",
      requestedOn: "2999-12-31",
    });
    expect(cancel.statusCode).toBeLessThan(500);
  });
});

describe("amounts", () => {
  const lines = (amount: string) =>
    Array.from({ length: 20 }, () => ({ kind: "transferred_amount", amount }));

  it("refuses amounts whose sum over 20 loss lines would not be exact in cents", async () => {
    await refused(
      () => fileAs(t, t.alice, claimBody(t.alice.policyId, { losses: lines("9999999999999.99") })),
      invalid("losses.0.amount"),
    );
    await refused(
      () =>
        call(t.app, t.staff.claims_handler, "POST", `/api/staff/claims/${t.alice.policyId}/overrides`, {
          outcome: "approved",
          payout: "10000000000.00",
          reason: "far too much money",
        }),
      invalid("payout"),
    );
  });

  it("decides a claim of 20 lines of the largest amount accepted", async () => {
    const res = await fileAs(t, t.alice, claimBody(t.alice.policyId, { losses: lines("9999999999.99") }));
    expect(res.statusCode).toBe(201);
  });
});

describe("a reused claim reference", () => {
  it("is a 409 conflict naming the reference, and the first claim stays the only one", async () => {
    const first = await fileAs(t, t.alice, claimBody(t.alice.policyId, { reference: "INC-2026-7" }));
    expect(first.statusCode).toBe(201);
    await refused(() => fileAs(t, t.alice, claimBody(t.alice.policyId, { reference: "INC-2026-7" })), {
      status: 409,
      code: "conflict",
      path: "reference",
    });
    // Unique per policy, not across policies.
    const other = await fileAs(t, t.bob, claimBody(t.bob.policyId, { reference: "INC-2026-7" }));
    expect(other.statusCode).toBe(201);
  });
});
