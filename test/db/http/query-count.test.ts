import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimBody, fileAs } from "./claims-support.ts";
import { type Caller, call, startTestApp, type TestApp, validMandate } from "./helpers.ts";

/**
 * Counts the statements the app sends for the route itself (BEGIN/COMMIT go around plugins). The
 * caller's token lookup is left out: it is cached for a few seconds of wall time, so whether a
 * request pays it depends on the machine's speed, not on the page size.
 */
class QueryCounter implements KyselyPlugin {
  count = 0;
  private readonly counted = new WeakSet<object>();
  transformQuery(args: PluginTransformQueryArgs) {
    if (!/"name":"(api_tokens|sessions)"/.test(JSON.stringify(args.node))) this.counted.add(args.queryId);
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs) {
    if (this.counted.has(args.queryId)) this.count += 1;
    return args.result;
  }
}

const counter = new QueryCounter();
let t: TestApp;
let once: string;
let twice: string;

beforeAll(async () => {
  t = await startTestApp({}, { plugin: counter });
  for (let i = 0; i < 12; i++) {
    const body = claimBody(t.alice.policyId, {
      reference: `q-${i}`,
      losses: [
        { kind: "transferred_amount", amount: "40.00" },
        { kind: "transferred_amount", amount: `${10 + i}.00` },
      ],
    });
    expect((await fileAs(t, t.alice, body)).statusCode).toBe(201);
  }
  for (let i = 0; i < 6; i++) {
    const res = await call(t.app, t.alice, "POST", "/api/policies", {
      product: "nl-cyber",
      household: "single",
      startDate: "2026-04-01",
      paymentFrequency: "monthly",
      paymentMethod: "sepa_direct_debit",
      mandate: validMandate,
    });
    expect(res.statusCode).toBe(201);
  }
  once = (await fileAs(t, t.alice, claimBody(t.alice.policyId))).json().id;
  const missing = claimBody(t.alice.policyId, { facts: {} });
  twice = (await fileAs(t, t.alice, missing)).json().id;
  const facts = { facts: { policeReport: true, bankRefusalProof: true } };
  expect((await call(t.app, t.alice, "POST", `/api/claims/${twice}/facts`, facts)).statusCode).toBe(200);
});
afterAll(() => t.close());

async function queries(who: Caller, url: string) {
  const before = counter.count;
  const res = await call(t.app, who, "GET", url);
  expect(res.statusCode).toBe(200);
  return { queries: counter.count - before, body: res.json() };
}

describe("list endpoints", () => {
  it.each([
    ["staff", "/api/claims"],
    ["alice", "/api/claims"],
    ["staff", "/api/policies"],
    ["alice", "/api/policies"],
  ] as const)("%s GET %s costs the same queries for a page of 1 and of 50", async (who, url) => {
    const caller = who === "staff" ? t.staff.claims_handler : t.alice;
    const small = await queries(caller, `${url}?limit=1`);
    const large = await queries(caller, `${url}?limit=50`);
    expect(small.body.items).toHaveLength(1);
    expect(large.body.items.length).toBeGreaterThanOrEqual(7);
    expect(large.queries).toBe(small.queries);
    // the page and the count
    expect(large.queries).toBe(2);
  });

  it("a page of claims brings each claim's lines and decision", async () => {
    const { body } = await queries(t.staff.claims_handler, "/api/claims?limit=50");
    const item = body.items.find((c: { reference: string | null }) => c.reference === "q-7");
    const one = await call(t.app, t.staff.claims_handler, "GET", `/api/claims/${item.id}`);
    expect(item).toEqual(one.json());
    expect(item.losses).toHaveLength(2);
    expect(item.decision.lines).toHaveLength(2);
  });

  it("a claim's decision history costs the same for one decision and for two", async () => {
    const one = await queries(t.alice, `/api/claims/${once}/decision`);
    const two = await queries(t.alice, `/api/claims/${twice}/decision`);
    expect([one.body.history.length, two.body.history.length]).toEqual([1, 2]);
    expect(two.body.decision).toEqual(two.body.history[1]);
    expect(two.queries).toBe(one.queries);
  });
});
