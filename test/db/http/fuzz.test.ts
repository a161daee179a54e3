import fc from "fast-check";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../../src/db/connection.ts";
import { call, startTestApp, type TestApp, validMandate } from "./helpers.ts";
import { apiRoutes, fill } from "./routes.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** Every table's row count in one round trip: compared after each refused request. */
async function fingerprint(db: Db): Promise<string> {
  const tables = (await db.kysely.introspection.getTables())
    // A refused login records its failure by design (the per-account login limit).
    .filter((x) => x.schema === "public" && x.name !== "login_failures")
    .map((x) => x.name);
  const parts = tables.map((name) => sql`(select count(*) from ${sql.table(name)})::text`);
  const r = await sql<{ counts: string }>`select concat_ws(',', ${sql.join(parts)}) as counts`.execute(
    t.db.kysely,
  );
  return r.rows[0]!.counts;
}

/** Valid-looking bodies to mutate, so the fuzzer also reaches the deeper checks. */
const seeds: unknown[] = [
  {
    product: "nl-cyber",
    household: "single",
    startDate: "2026-04-01",
    paymentFrequency: "monthly",
    paymentMethod: "sepa_direct_debit",
    mandate: validMandate,
  },
  { product: "nl-cyber", household: "family", paymentFrequency: "annual", paymentMethod: "bank_transfer" },
  { household: "single", effectiveDate: "2026-04-01" },
  { effective: "2026-04-01" },
  validMandate,
  { email: "alice@example.test", password: "x" },
];

const junk = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.string(),
  fc.constantFrom(
    "",
    "2026-02-30",
    "-1.00",
    "12.345",
    "NL00",
    "00000000-0000-0000-0000-000000000000",
    "x".repeat(5000),
  ),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.object({ maxDepth: 2 }),
);

/** A seed with one field replaced, removed or added, or something that is not an object at all. */
const body = fc.oneof(
  fc.tuple(fc.constantFrom(...seeds), fc.string({ maxLength: 12 }), junk).map(([seed, key, value]) => {
    const copy = { ...(seed as Record<string, unknown>) };
    const keys = Object.keys(copy);
    const target = keys.length > 0 && key.length % 3 !== 0 ? keys[key.length % keys.length]! : key;
    if (key.length % 5 === 0) delete copy[target];
    else copy[target] = value;
    return copy as unknown;
  }),
  fc.jsonValue({ maxDepth: 3 }),
  junk,
);

describe("random and malformed bodies", () => {
  it("never get a 5xx from any route and never change a row when refused", async () => {
    // Logout last: once a fuzzed body passes, it revokes the callers' tokens and every later
    // request would stop at authentication.
    const last = (r: { path: string }) => Number(r.path === "/api/auth/logout");
    const routes = (await apiRoutes(t.app))
      .filter((r) => r.method !== "GET")
      .sort((a, b) => last(a) - last(b));
    expect(routes.length).toBeGreaterThanOrEqual(6);
    const callers = [t.alice, t.staff.admin];
    let before = await fingerprint(t.db);
    for (const route of routes) {
      const url = fill(route.path, t.alice.policyId);
      await fc.assert(
        fc.asyncProperty(body, fc.boolean(), fc.nat(callers.length - 1), async (payload, raw, who) => {
          // Half the time the payload goes out as raw text: truncated or non-JSON bodies.
          const text = raw
            ? (JSON.stringify(payload)?.slice(0, -1) ?? "{")
            : (JSON.stringify(payload) ?? "null");
          const res = await t.app.inject({
            method: route.method,
            url,
            headers: { ...callers[who]!.headers, "content-type": "application/json" },
            payload: text,
          });
          expect(res.statusCode, `${route.method} ${url} ${text.slice(0, 200)}`).toBeLessThan(500);
          expect(res.headers["content-type"]).toMatch(/json/);
          const after = await fingerprint(t.db);
          if (res.statusCode >= 400)
            expect(after, `${route.method} ${url} ${text.slice(0, 200)}`).toBe(before);
          before = after;
        }),
        { numRuns: 40, seed: 4242 },
      );
    }
    // Hundreds of requests, each with a full row count before and after: seconds, not milliseconds.
  }, 240_000);

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
