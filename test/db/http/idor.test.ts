import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, rowCounts, startTestApp, type TestApp } from "./helpers.ts";
import { apiRoutes, fill } from "./routes.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** A plausible body per route, so a refusal can only come from the ownership check. */
const BODIES: Record<string, unknown> = {
  "POST /api/policies/{id}/household-changes": { household: "single", effectiveDate: "2026-04-01" },
  "POST /api/policies/{id}/cancellation": { effective: "2026-04-01" },
  "POST /api/policies/{id}/mandate": {
    accountHolder: "Bob",
    iban: "NL91ABNA0417164300",
    signedOn: "2026-03-15",
    consentText: "I authorise cyberpolis to collect the premium by SEPA direct debit.",
  },
};

describe("IDOR: user B never reaches user A's resources", () => {
  it("every route with an id answers 404 to another policyholder, and changes nothing", async () => {
    // Alice's resource per path prefix. A new route with an id fails here until it is listed.
    const owned: [prefix: string, id: () => string][] = [["/api/policies/", () => t.alice.policyId]];
    const routes = (await apiRoutes(t.app)).filter((r) => r.path.includes("{id}"));
    expect(routes.length).toBeGreaterThanOrEqual(5);
    const before = await rowCounts(t.db);
    for (const r of routes) {
      const id = owned.find(([prefix]) => r.path.startsWith(prefix))?.[1]();
      expect(id, `add Alice's resource for ${r.path} to the IDOR test`).toBeDefined();
      const url = fill(r.path, id!);
      const res = await call(t.app, t.bob, r.method, url, BODIES[`${r.method} ${r.path}`]);
      expect({ route: `${r.method} ${r.path}`, status: res.statusCode }).toEqual({
        route: `${r.method} ${r.path}`,
        status: 404,
      });
      expect(res.json().code).toBe("not_found");
      // The owner does reach it: the 404 above is the ownership check, not a broken route.
      const own = await call(t.app, t.alice, "GET", url);
      if (r.method === "GET") expect(own.statusCode).toBe(200);
    }
    expect(await rowCounts(t.db)).toEqual(before);
  });

  it("a missing id and someone else's id look the same", async () => {
    const missing = await call(t.app, t.bob, "GET", "/api/policies/00000000-0000-4000-8000-000000000000");
    const foreign = await call(t.app, t.bob, "GET", `/api/policies/${t.alice.policyId}`);
    expect(missing.statusCode).toBe(foreign.statusCode);
    expect(missing.json().code).toBe(foreign.json().code);
  });

  it("filters in lists cannot widen a policyholder's view", async () => {
    const res = await call(t.app, t.bob, "GET", `/api/policies?partyId=${t.alice.partyId}`);
    expect(res.json()).toEqual({ items: [], total: 0 });
  });
});
