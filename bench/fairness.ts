/**
 * `npm run bench:fairness`: can one principal slow everyone down? Starts this file again as the
 * server process (PGlite in memory, the app's default rate limits except the general one, which
 * is raised so the measured users are never limited themselves), with one policyholder A whose
 * claims make a large personal-data export, another policyholder B, and a claims handler.
 * Phases of BENCH_SECONDS (default 5) each:
 * GET /health (baseline); B's GET /api/auth/me alone; the same while 20 connections fetch A's
 * GET /api/me/personal-data; the handler's GET /api/claims?limit=200. Last line:
 * {"baseline_rps","me_alone_rps","me_under_export_rps","me_under_export_ratio","export_2xx",
 *  "export_429","export_bytes","staff_list_rps","staff_list_p50_ms","staff_list_ratio"}
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createInterface } from "node:readline";
import autocannon from "autocannon";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CLAIMS = Number(process.env.BENCH_CLAIMS ?? 400);
const log = (line: string) => process.stderr.write(`${line}\n`);

async function serve() {
  const { PGlite } = await import("@electric-sql/pglite");
  const { openDatabase, pgliteParsers } = await import("../src/db/connection.ts");
  const { migratedTemplate } = await import("../src/db/template.ts");
  const { buildApp } = await import("../src/http/app.ts");
  const { DEFAULT_HTTP_CONFIG } = await import("../src/http/config.ts");
  const { createApiToken, createUser } = await import("../src/identity/service.ts");
  const { bindPolicy } = await import("../src/policies/service.ts");
  const { fileClaim } = await import("../src/claims/service.ts");
  const { defaultCatalog } = await import("../src/products/catalog.ts");
  const { addDays } = await import("../src/shared/dates.ts");
  const catalog = defaultCatalog();
  const db = await openDatabase({
    pglite: new PGlite({ loadDataDir: await migratedTemplate(), parsers: pgliteParsers }),
  });
  // The general per-principal limit would cap B's own measurement; the export limit stays.
  const rateLimits = { ...DEFAULT_HTTP_CONFIG.rateLimits, general: { max: 1e9, windowMs: 60_000 } };
  const app = await buildApp({
    db: db.kysely,
    catalog,
    clock: () => new Date(),
    config: {
      ...DEFAULT_HTTP_CONFIG,
      rateLimits,
      sessionSecret: randomUUID() + randomUUID(),
      logLevel: "silent",
    },
  });
  const url = await app.listen({ port: 0, host: "127.0.0.1" });
  const today = new Date().toISOString().slice(0, 10);
  const ctx = { actor: "bench", now: new Date(), catalog };
  const setup = await db.kysely.transaction().execute(async (tx) => {
    const holder = async (tag: string) => {
      const policy = await bindPolicy(tx, ctx, {
        productCode: "nl-cyber",
        party: { name: `Bench ${tag}`, email: `bench-${tag}-${randomUUID()}@example.test` },
        household: "family",
        startDate: addDays(today, -300),
        paymentFrequency: "annual",
        paymentMethod: "bank_transfer",
      });
      const user = await createUser(tx, ctx, {
        email: `bench-${tag}-${randomUUID()}@example.test`,
        password: "bench password 123",
        role: "policyholder",
        displayName: tag,
        partyId: policy.party_id,
      });
      return { policy, token: (await createApiToken(tx, ctx, { userId: user.id, label: "bench" })).token };
    };
    const a = await holder("a");
    const b = await holder("b");
    for (let i = 0; i < CLAIMS; i++) {
      await fileClaim(tx, ctx, {
        policyId: a.policy.id,
        reference: `bench-${i}`,
        peril: "online_purchase_fraud",
        incidentDate: addDays(today, -2 - (i % 200)),
        reportedDate: today,
        losses: [
          { kind: "purchase_price", amount: 12_000 },
          { kind: "purchase_price", amount: 3_000 },
        ],
        facts: { policeReport: true, bankRefusalProof: i % 2 === 0 },
      });
    }
    const handler = await createUser(tx, ctx, {
      email: `bench-handler-${randomUUID()}@example.test`,
      password: "bench password 123",
      role: "claims_handler",
      displayName: "handler",
      partyId: null,
    });
    const staff = (await createApiToken(tx, ctx, { userId: handler.id, label: "bench" })).token;
    return { a: a.token, b: b.token, staff };
  });
  process.stdout.write(`${JSON.stringify({ url, ...setup })}\n`);
  process.on("SIGTERM", () => void app.close().then(() => process.exit(0)));
}

async function load() {
  const server = spawn(process.execPath, ["--import", "tsx", new URL(import.meta.url).pathname], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, FAIRNESS_SERVER: "1" },
  });
  const first = await createInterface({ input: server.stdout })[Symbol.asyncIterator]().next();
  if (first.done) throw new Error("the bench server did not start");
  const { url, a, b, staff } = JSON.parse(first.value) as {
    url: string;
    a: string;
    b: string;
    staff: string;
  };
  const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
  const run = (name: string, opts: autocannon.Options) =>
    autocannon({ connections: 10, duration: SECONDS, ...opts }).then((r) => {
      log(
        `${name}: ${Math.round(r.requests.average)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, ` +
          `2xx ${r["2xx"]}, non-2xx ${r.non2xx}`,
      );
      return r;
    });
  try {
    await run("warm-up", { url: `${url}/health`, duration: 1 });
    const health = await run("GET /health", { url: `${url}/health` });
    const alone = await run("B GET /api/auth/me", { url: `${url}/api/auth/me`, headers: bearer(b) });
    const exportProbe = await fetch(`${url}/api/me/personal-data`, { headers: bearer(a) });
    const exportBytes = (await exportProbe.arrayBuffer()).byteLength;
    const [under, exports] = await Promise.all([
      run("B GET /api/auth/me while A exports", { url: `${url}/api/auth/me`, headers: bearer(b) }),
      run("A GET /api/me/personal-data x20", {
        url: `${url}/api/me/personal-data`,
        headers: bearer(a),
        connections: 20,
      }),
    ]);
    const list = await run("staff GET /api/claims?limit=200", {
      url: `${url}/api/claims?limit=200`,
      headers: bearer(staff),
      connections: 4,
    });
    const ratio = (x: number, y: number) => Number((x / y).toFixed(3));
    console.log(
      JSON.stringify({
        baseline_rps: Math.round(health.requests.average),
        me_alone_rps: Math.round(alone.requests.average),
        me_under_export_rps: Math.round(under.requests.average),
        me_under_export_ratio: ratio(under.requests.average, alone.requests.average),
        export_2xx: exports["2xx"],
        export_429: exports.non2xx,
        export_bytes: exportBytes,
        staff_list_rps: Math.round(list.requests.average),
        staff_list_p50_ms: list.latency.p50,
        staff_list_ratio: ratio(list.requests.average, health.requests.average),
      }),
    );
  } finally {
    server.kill("SIGTERM");
  }
}

await (process.env.FAIRNESS_SERVER ? serve() : load());
