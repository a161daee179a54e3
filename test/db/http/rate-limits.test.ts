import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimBody, fileAs, pdf, upload } from "./claims-support.ts";
import { call, startTestApp, type TestApp } from "./helpers.ts";

let t: TestApp;
const minute = 60_000;
beforeAll(async () => {
  t = await startTestApp({
    rateLimits: {
      general: { max: 8, windowMs: minute },
      exports: { max: 2, windowMs: minute },
      uploads: { max: 2, windowMs: minute },
    },
  });
});
afterAll(() => t.close());

function expectLimited(res: Awaited<ReturnType<typeof call>>) {
  expect(res.statusCode).toBe(429);
  expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
  expect(res.json()).toMatchObject({ code: "rate_limited", status: 429 });
  expect(Number(res.headers["retry-after"])).toBeGreaterThan(0);
}

describe("rate limits", () => {
  it("stop one principal at its export budget while others and its other routes go on", async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () => call(t.app, t.alice, "GET", "/api/me/personal-data")),
    );
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(2);
    for (const r of results.filter((x) => x.statusCode !== 200)) expectLimited(r);
    expect((await call(t.app, t.bob, "GET", "/api/me/personal-data")).statusCode).toBe(200);
  });

  it("count every route against one general budget per principal", async () => {
    // alice spent 10 of 8 above (every request counts, refused ones too).
    expectLimited(await call(t.app, t.alice, "GET", "/api/auth/me"));
    expectLimited(await call(t.app, t.alice, "GET", `/api/policies/${t.alice.policyId}`));
    const bob = await Promise.all(Array.from({ length: 8 }, () => call(t.app, t.bob, "GET", "/api/auth/me")));
    // bob: one export above, then 7 of these pass and the 8th is over.
    expect(bob.filter((r) => r.statusCode === 200)).toHaveLength(7);
    expect((await call(t.app, t.staff.admin, "GET", "/api/auth/me")).statusCode).toBe(200);
  });

  it("limit uploads separately", async () => {
    const who = t.staff.claims_handler;
    const claimId = (await fileAs(t, who, claimBody(t.alice.policyId))).json().id;
    const codes = [];
    for (const text of ["one", "two", "three"])
      codes.push((await upload(t, who, claimId, pdf(text))).statusCode);
    expect(codes).toEqual([201, 201, 429]);
  });

  it("limit anonymous callers and failed logins in by address", async () => {
    const bad = { headers: { authorization: "Bearer cpt_not_a_real_token_at_all" } };
    const codes = [];
    for (let i = 0; i < 9; i++) codes.push((await call(t.app, bad, "GET", "/api/auth/me")).statusCode);
    expect(codes).toEqual([401, 401, 401, 401, 401, 401, 401, 401, 429]);
    const health = [];
    for (let i = 0; i < 9; i++) health.push((await call(t.app, null, "GET", "/health")).statusCode);
    expect(health.at(-1)).toBe(429);
  });
});
