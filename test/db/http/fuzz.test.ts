import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fingerprinter } from "./fingerprint.ts";
import { type FuzzIds, fuzzFixture, routeSeeds, urlFor } from "./fuzz-seeds.ts";
import { deliberate, mutated, runsPerRoute, type Shape, sendFuzzed, shape } from "./fuzz-support.ts";
import { call, startTestApp, type TestApp } from "./helpers.ts";
import { apiRoutes } from "./routes.ts";

let t: TestApp;
let ids: FuzzIds;
beforeAll(async () => {
  // The login limit would answer 429 to nearly every fuzzed login; the fuzzer wants the checks behind it.
  t = await startTestApp({ loginRateLimit: { max: 1_000_000, windowMs: 60_000 } });
  ids = await fuzzFixture(t);
});
afterAll(() => t.close());

/** Default requests for `npm test`; CYBERPOLIS_FUZZ_REQUESTS=25000 for the long run. */
const DEFAULT_REQUESTS = 1000;

describe("random and malformed requests against every operation of the OpenAPI document", () => {
  it("never get a 5xx and never change a row when refused", async () => {
    // Logout and token revocation last: once a fuzzed request passes, it revokes the callers'
    // tokens and every later request would stop at authentication.
    const last = (r: { path: string }) =>
      Number(r.path === "/api/auth/logout" || r.path.endsWith("/revocation"));
    const routes = (await apiRoutes(t.app)).sort((a, b) => last(a) - last(b));
    expect(routes.length).toBeGreaterThanOrEqual(30);
    const numRuns = runsPerRoute(routes, DEFAULT_REQUESTS);
    const callers = [t.alice, t.staff.admin, t.staff.claims_handler];
    const seeds = routeSeeds(t, ids);
    const anySeed = Object.values(seeds).flat();
    // A refused login records its failure by design (the per-account login limit).
    const fingerprint = fingerprinter(t.db, { ignore: ["login_failures"] });
    let before = await fingerprint();
    let requests = 0;
    for (const route of routes) {
      const url = urlFor(t, ids, route.path);
      const own = seeds[`${route.method} ${route.path}`] ?? [];
      // Mostly this operation's own valid input, mutated; now and then another operation's.
      const property = fc.asyncProperty(
        mutated([...own, ...own, ...own, ...anySeed.slice(0, Math.max(1, own.length))]),
        shape,
        fc.nat(callers.length - 1),
        async (payload, as, who) => {
          const res = await sendFuzzed(t.app, route, url, payload, as, callers[who]!.headers);
          requests++;
          const what = `${route.method} ${route.path} ${as} ${(JSON.stringify(payload) ?? "").slice(0, 200)}`;
          expect(res.statusCode, what).toBeLessThan(500);
          // Refusals are problem+json; an answer may be a file (evidence content).
          if (res.statusCode >= 400) expect(res.headers["content-type"], what).toMatch(/json/);
          const after = await fingerprint();
          if (res.statusCode >= 400) expect(after, what).toBe(before);
          before = after;
        },
      );
      // The deliberate inputs go first, as a caller the route lets through to its checks.
      const who = /Roles:[^.]*\bpolicyholder\b/.test(route.description) ? 0 : 1;
      const examples = deliberate(own).map((p): [unknown, Shape, number] => [p, "json", who]);
      await fc.assert(property, { numRuns: numRuns + examples.length, seed: 4242, examples });
    }
    // Reached only when every request answered below 500.
    console.info(`fuzz.test.ts: ${requests} requests over ${routes.length} operations, none answered 5xx`);
  }, 3_600_000);

  it("refuses non-JSON content types and oversized bodies with problem+json", async () => {
    const form = await call(t.app, t.alice, "POST", "/api/quotes", "a=b", {
      "content-type": "application/x-www-form-urlencoded",
    });
    expect(form.statusCode).toBe(415);
    expect(form.json().code).toBe("unsupported_media_type");
    const big = await call(
      t.app,
      t.alice,
      "POST",
      "/api/quotes",
      JSON.stringify({ p: "x".repeat(1_100_000) }),
      {
        "content-type": "application/json",
      },
    );
    expect(big.statusCode).toBe(413);
    expect(big.json().code).toBe("payload_too_large");
  });
});
