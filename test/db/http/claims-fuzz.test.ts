import fc from "fast-check";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimBody, fileAs, pdf } from "./claims-support.ts";
import { type Caller, call, startTestApp, type TestApp } from "./helpers.ts";
import { apiRoutes } from "./routes.ts";

/**
 * The app-wide fuzz test (fuzz.test.ts) fills every id with a policy id, so claim routes stop at
 * "not found". Here every route gets real ids of Alice's claim, evidence and a pending override,
 * and bodies mutated from valid ones, so the deeper checks of claims, staff and GDPR are reached.
 */
let t: TestApp;
const ids = { claim: "", evidence: "", override: "" };
beforeAll(async () => {
  t = await startTestApp();
  ids.claim = (
    await fileAs(t, t.alice, claimBody(t.alice.policyId, { facts: { policeReport: true } }))
  ).json().id;
  const e = await t.app.inject({
    method: "POST",
    url: `/api/claims/${ids.claim}/evidence?kind=other&fileName=a.pdf`,
    headers: { ...t.alice.headers, "content-type": "application/pdf" },
    payload: pdf(),
  });
  ids.evidence = e.json().id;
  const o = await call(t.app, t.staff.claims_handler, "POST", `/api/staff/claims/${ids.claim}/overrides`, {
    outcome: "approved",
    payout: "1400.00",
    reason: "a pending override to fuzz",
  });
  ids.override = o.json().override.id;
});
afterAll(() => t.close());

async function fingerprint(): Promise<string> {
  const tables = (await t.db.kysely.introspection.getTables())
    .filter((x) => x.schema === "public")
    .map((x) => x.name);
  const parts = tables.map((name) => sql`(select count(*) from ${sql.table(name)})::text`);
  const r = await sql<{ counts: string }>`select concat_ws(',', ${sql.join(parts)}) as counts`.execute(
    t.db.kysely,
  );
  return r.rows[0]!.counts;
}

function urlOf(path: string): string {
  const id = path.startsWith("/api/staff/overrides/")
    ? ids.override
    : path.startsWith("/api/admin/parties/")
      ? t.alice.partyId!
      : path.startsWith("/api/staff/policies/")
        ? t.alice.policyId
        : ids.claim;
  return path.replace("{evidenceId}", ids.evidence).replace("{id}", id);
}

const seeds = (): unknown[] => [
  claimBody(t.alice.policyId),
  { facts: { bankRefusalProof: true }, date: "2026-03-15" },
  { reason: "please have a look" },
  { outcome: "approved", payout: "100.00", reason: "long enough reason" },
  { approve: true, note: "ok" },
  {},
];

const junk = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.string(),
  fc.constantFrom("", "99999999999999.99", "-0.01", "1e3", "2026-13-01", "__proto__", "x".repeat(3000)),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 25 }),
  fc.object({ maxDepth: 2 }),
);

const mutated = (all: unknown[]) =>
  fc.oneof(
    fc
      .tuple(fc.constantFrom(...all), fc.string({ maxLength: 10 }), junk, fc.nat(4))
      .map(([seed, key, value, op]) => {
        const copy = { ...(seed as Record<string, unknown>) };
        const keys = Object.keys(copy);
        const target = keys.length > 0 && op < 3 ? keys[key.length % keys.length]! : key;
        if (op === 0) delete copy[target];
        else copy[target] = value;
        return copy as unknown;
      }),
    fc.jsonValue({ maxDepth: 3 }),
    junk,
  );

const MINE = /^\/api\/(claims|staff|me|admin)\b/;

describe("random bodies and queries against the claims, staff and privacy routes", () => {
  // ~20 routes × 30 runs, each followed by a row count: can take minutes on a busy machine.
  it("never answer 5xx and never change a row when refused", async () => {
    const routes = (await apiRoutes(t.app)).filter((r) => MINE.test(r.path));
    expect(routes.length).toBeGreaterThanOrEqual(14);
    const callers: Caller[] = [t.alice, t.bob, t.staff.claims_handler, t.staff.admin, t.staff.helpline_agent];
    const all = seeds();
    let before = await fingerprint();
    for (const route of routes) {
      const url = urlOf(route.path);
      const property = fc.asyncProperty(
        mutated(all),
        fc.constantFrom("json", "truncated", "binary", "query"),
        fc.nat(callers.length - 1),
        async (payload, shape, who) => {
          const text = JSON.stringify(payload) ?? "null";
          const asQuery = Object.entries((payload ?? {}) as Record<string, unknown>)
            .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
            .join("&");
          const res = await t.app.inject({
            method: route.method,
            url: shape === "query" ? `${url}?${asQuery}` : url,
            headers: {
              ...callers[who]!.headers,
              "content-type": shape === "binary" ? "application/pdf" : "application/json",
            },
            ...(route.method === "GET"
              ? {}
              : {
                  payload:
                    shape === "truncated" ? text.slice(0, -1) : shape === "binary" ? Buffer.from(text) : text,
                }),
          });
          const what = `${route.method} ${url} ${shape} ${text.slice(0, 200)}`;
          expect(res.statusCode, what).toBeLessThan(500);
          const after = await fingerprint();
          if (res.statusCode >= 400) expect(after, what).toBe(before);
          before = after;
        },
      );
      await fc.assert(property, { numRuns: 30, seed: 2611 });
    }
  }, 180_000);
});
