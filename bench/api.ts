/**
 * `npm run bench:api` — one server, three phases of ~5 s at 100 connections over loopback:
 * GET /health (baseline), POST /api/quotes and POST /api/claims (bearer token, a unique
 * Idempotency-Key per request, claims spread over many policies as in real life). Uses the
 * embedded PGlite in memory, or the PostgreSQL server of DATABASE_URL (it adds a user, policies
 * and claims there). Last line: {"baseline_rps","quote_rps","quote_ratio","claim_rps","claim_p99_ms","rss_mb"}.
 * Targets: claim p99 ≤ 50 ms, quote ≥ 50% of baseline, RSS ≤ 300 MB.
 */
import { randomUUID } from "node:crypto";
import autocannon from "autocannon";
import { openDatabase } from "../src/db/connection.ts";
import { migrate } from "../src/db/migrate.ts";
import { buildApp } from "../src/http/app.ts";
import { DEFAULT_HTTP_CONFIG } from "../src/http/config.ts";
import { createApiToken, createUser } from "../src/identity/service.ts";
import { bindPolicy } from "../src/policies/service.ts";
import { defaultCatalog } from "../src/products/catalog.ts";
import { addDays } from "../src/shared/dates.ts";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = 100;
const POLICIES = 200;
const log = (line: string) => process.stderr.write(`${line}\n`);

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 100);

const catalog = defaultCatalog();
const db = await openDatabase(
  process.env.DATABASE_URL ? { url: process.env.DATABASE_URL, poolSize: 20 } : { memory: true },
);
await migrate(db);
const app = await buildApp({
  db: db.kysely,
  catalog,
  clock: () => new Date(),
  config: { ...DEFAULT_HTTP_CONFIG, sessionSecret: randomUUID() + randomUUID(), logLevel: "silent" },
});
const base = await app.listen({ port: 0, host: "127.0.0.1" });

// Untimed setup: one policyholder with many policies, so claims don't all queue on one limit row.
const today = new Date().toISOString().slice(0, 10);
const ctx = { actor: "bench", now: new Date(), catalog };
const { token, policyIds } = await db.kysely.transaction().execute(async (tx) => {
  const first = await bindPolicy(tx, ctx, {
    productCode: "nl-cyber",
    party: { name: "Bench Holder", email: `bench-${randomUUID()}@example.test` },
    household: "family",
    startDate: addDays(today, -30),
    paymentFrequency: "annual",
    paymentMethod: "bank_transfer",
  });
  const ids = [first.id];
  for (let i = 1; i < POLICIES; i++) {
    const p = await bindPolicy(tx, ctx, {
      productCode: "nl-cyber",
      party: { partyId: first.party_id },
      household: "family",
      startDate: addDays(today, -30),
      paymentFrequency: "annual",
      paymentMethod: "bank_transfer",
    });
    ids.push(p.id);
  }
  const user = await createUser(tx, ctx, {
    email: `bench-${randomUUID()}@example.test`,
    password: "bench password 123",
    role: "policyholder",
    displayName: "Bench",
    partyId: first.party_id,
  });
  const t = await createApiToken(tx, ctx, { userId: user.id, label: "bench" });
  return { token: t.token, policyIds: ids };
});
const auth = { authorization: `Bearer ${token}`, "content-type": "application/json" };

async function phase(name: string, opts: autocannon.Options) {
  const result = await autocannon({ connections: CONNECTIONS, duration: SECONDS, ...opts });
  const bad = result.non2xx + result.errors + result.timeouts;
  log(
    `${name}: ${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms` +
      (bad > 0 ? `, ${bad} failed (non-2xx ${result.non2xx}, errors ${result.errors})` : ""),
  );
  return result;
}

const quoteBody = JSON.stringify({
  product: "nl-cyber",
  household: "family",
  paymentFrequency: "monthly",
  paymentMethod: "sepa_direct_debit",
});
let n = 0;
const claimRequest = () => ({
  method: "POST" as const,
  path: "/api/claims",
  headers: { ...auth, "idempotency-key": randomUUID() },
  body: JSON.stringify({
    policyId: policyIds[n++ % policyIds.length],
    peril: "online_purchase_fraud",
    incidentDate: addDays(today, -2),
    losses: [{ kind: "purchase_price", amount: "120.00" }],
    facts: { policeReport: true, bankRefusalProof: true },
  }),
});

try {
  await phase("warm-up", { url: `${base}/health`, duration: 1 });
  const health = await phase("GET /health", { url: `${base}/health` });
  const quotes = await phase("POST /api/quotes", {
    url: `${base}/api/quotes`,
    method: "POST",
    headers: auth,
    body: quoteBody,
  });
  await phase("warm-up claims", { url: base, duration: 1, requests: [{ setupRequest: claimRequest }] });
  const claims = await phase("POST /api/claims", { url: base, requests: [{ setupRequest: claimRequest }] });
  const result = {
    baseline_rps: Math.round(health.requests.average),
    quote_rps: Math.round(quotes.requests.average),
    quote_ratio: Number((quotes.requests.average / health.requests.average).toFixed(2)),
    claim_rps: Math.round(claims.requests.average),
    claim_p99_ms: claims.latency.p99,
    rss_mb: Math.round(peakRss / 1024 / 1024),
  };
  console.log(JSON.stringify(result));
} finally {
  clearInterval(sampler);
  await app.close();
  await db.close();
}
