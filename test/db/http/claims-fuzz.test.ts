import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimBody } from "./claims-support.ts";
import { fingerprinter } from "./fingerprint.ts";
import { type FuzzIds, fuzzFixture, routeSeeds, urlFor } from "./fuzz-seeds.ts";
import { deliberate, mutated, runsPerRoute, type Shape, sendFuzzed, shape } from "./fuzz-support.ts";
import { type Caller, startTestApp, type TestApp } from "./helpers.ts";
import { apiRoutes } from "./routes.ts";

/**
 * fuzz.test.ts covers every operation; here the claims, staff and privacy routes get more of the
 * callers (another policyholder, the helpline) and more runs, with real ids of Alice's claim,
 * evidence and pending override, so the deeper checks of claims, staff and GDPR are reached.
 */
let t: TestApp;
let ids: FuzzIds;
beforeAll(async () => {
  t = await startTestApp();
  ids = await fuzzFixture(t);
});
afterAll(() => t.close());

const extraSeeds = (): unknown[] => [
  claimBody(t.alice.policyId),
  // A second claim with the reference of the first: the unique index, now a 409.
  claimBody(t.alice.policyId, { reference: "FUZZ-1" }),
  { facts: { bankRefusalProof: true }, date: "2026-03-15" },
  { reason: "please have a look" },
  { outcome: "approved", payout: "100.00", reason: "long enough reason" },
  { approve: true, note: "ok" },
  {},
];

const MINE = /^\/api\/(claims|staff|me|admin)\b/;

/** Default requests for `npm test`; CYBERPOLIS_FUZZ_REQUESTS=25000 for the long run. */
const DEFAULT_REQUESTS = 600;

describe("random bodies and queries against the claims, staff and privacy routes", () => {
  it("never answer 5xx and never change a row when refused", async () => {
    const routes = (await apiRoutes(t.app)).filter((r) => MINE.test(r.path));
    expect(routes.length).toBeGreaterThanOrEqual(14);
    const numRuns = runsPerRoute(routes, DEFAULT_REQUESTS);
    const callers: Caller[] = [t.alice, t.bob, t.staff.claims_handler, t.staff.admin, t.staff.helpline_agent];
    const seeds = routeSeeds(t, ids);
    const extra = extraSeeds();
    const fingerprint = fingerprinter(t.db);
    let before = await fingerprint();
    for (const route of routes) {
      const url = urlFor(t, ids, route.path);
      const own = seeds[`${route.method} ${route.path}`] ?? [];
      const property = fc.asyncProperty(
        mutated([...own, ...own, ...own, ...own, ...extra]),
        shape,
        fc.nat(callers.length - 1),
        async (payload, as, who) => {
          const res = await sendFuzzed(t.app, route, url, payload, as, callers[who]!.headers);
          const what = `${route.method} ${route.path} ${as} ${(JSON.stringify(payload) ?? "").slice(0, 200)}`;
          expect(res.statusCode, what).toBeLessThan(500);
          const after = await fingerprint();
          if (res.statusCode >= 400) expect(after, what).toBe(before);
          before = after;
        },
      );
      // The deliberate inputs go first, as a caller the route lets through to its checks.
      const who = /Roles:[^.]*\bpolicyholder\b/.test(route.description) ? 0 : 3;
      const examples = deliberate(own).map((p): [unknown, Shape, number] => [p, "json", who]);
      await fc.assert(property, { numRuns: numRuns + examples.length, seed: 2611, examples });
    }
  }, 3_600_000);
});
