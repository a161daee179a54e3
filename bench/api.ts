/**
 * `npm run bench:api`: starts bench/api-server.ts as its own process (PGlite in memory, or the
 * PostgreSQL server of DATABASE_URL — use a scratch database: it adds a user, policies and
 * claims), then loads it over loopback with 100 connections for ~5 s per phase (BENCH_SECONDS):
 * GET /health (baseline), POST /api/quotes and POST /api/claims (bearer token, a unique
 * Idempotency-Key per request, spread over 200 policies). The server's peak RSS is read from
 * /proc/<pid>/status (VmHWM). Last line:
 * {"baseline_rps","quote_rps","quote_ratio","claim_rps","claim_p99_ms","rss_mb","claim_p99_4conn_ms"}
 * (the last: claim p99 with 4 connections, i.e. without the queueing of 100).
 * Targets: claim p99 ≤ 50 ms, quote ≥ 50% of baseline, RSS ≤ 300 MB.
 *
 * On PostgreSQL (DATABASE_URL) three more measurements, in the same run (issue 14):
 * - pgbench's built-in TPC-B-like script against the same server with the same client count, in a
 *   scratch database of its own: `claim_pgbench_ratio` = claim_rps / pgbench_tps (goal ≥ 0.5: a
 *   claim should cost about two bank transfers' worth of database work);
 * - claim p99 at an open-loop rate of half the measured maximum (`claim_p99_half_rate_ms`, goal
 *   ≤ 50 ms);
 * - a second API process on the same data, both loaded at once: `two_instances_ratio` = their
 *   claims per second together against one's.
 */
import { spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import autocannon from "autocannon";
import { addDays } from "../src/shared/dates.ts";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = 100;
const log = (line: string) => process.stderr.write(`${line}\n`);

const server = spawn(
  process.execPath,
  // BENCH_NODE_ARGS: extra node flags for the server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
  // (NODE_OPTIONS refuses --cpu-prof).
  [
    ...(process.env.BENCH_NODE_ARGS?.split(" ").filter(Boolean) ?? []),
    "--import",
    "tsx",
    new URL("./api-server.ts", import.meta.url).pathname,
  ],
  {
    stdio: ["ignore", "pipe", "inherit"],
    env: process.env,
  },
);
const first = await createInterface({ input: server.stdout })[Symbol.asyncIterator]().next();
if (first.done) throw new Error("the bench server did not start");
const { url, today, token, policyIds } = JSON.parse(first.value) as {
  url: string;
  today: string;
  token: string;
  policyIds: string[];
};
const auth = { authorization: `Bearer ${token}`, "content-type": "application/json" };

/** Peak resident memory of the server process so far (Linux); null elsewhere. */
function serverPeakRssMb(): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.pid}/status`, "utf8"));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

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

/** The PostgreSQL-only phases: open-loop p99 at half the maximum, two API processes, pgbench. */
async function postgresPhases(claimRps: number) {
  const half = Math.max(1, Math.round(claimRps / 2));
  const paced = await phase(`POST /api/claims at ${half}/s (open loop)`, {
    url,
    overallRate: half,
    requests: [{ setupRequest: claimRequest }],
  });
  const second = spawn(
    process.execPath,
    ["--import", "tsx", new URL("./api-server.ts", import.meta.url).pathname],
    {
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, BENCH_SERVE_ONLY: "1" },
    },
  );
  let together = 0;
  try {
    const line = await createInterface({ input: second.stdout })[Symbol.asyncIterator]().next();
    if (line.done) throw new Error("the second bench server did not start");
    const url2 = (JSON.parse(line.value) as { url: string }).url;
    const both = await Promise.all(
      [url, url2].map((u) =>
        phase(`POST /api/claims on ${u} (two processes)`, {
          url: u,
          connections: CONNECTIONS / 2,
          requests: [{ setupRequest: claimRequest }],
        }),
      ),
    );
    together = both.reduce((s, r) => s + r.requests.average, 0);
  } finally {
    second.kill("SIGTERM");
  }
  const tps = pgbenchTps();
  return {
    pgbench_tps: Math.round(tps),
    claim_pgbench_ratio: Number((claimRps / tps).toFixed(2)),
    claim_p99_half_rate_ms: paced.latency.p99,
    two_instances_rps: Math.round(together),
    two_instances_ratio: Number((together / claimRps).toFixed(2)),
  };
}

/** pgbench's TPC-B-like script on a scratch database of the same server, same client count. */
function pgbenchTps(): number {
  const target = new URL(process.env.DATABASE_URL!);
  const scratch = `cyberpolis_pgbench_${process.pid}`;
  const admin = new URL(target);
  admin.pathname = "/postgres";
  const bench = new URL(target);
  bench.pathname = `/${scratch}`;
  const run = (cmd: string, args: string[]) => {
    const r = spawnSync(cmd, args, { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr}`);
    return r.stdout;
  };
  run("psql", [admin.href, "-qc", `create database ${scratch}`]);
  try {
    run("pgbench", ["-i", "-q", bench.href]);
    // The HTTP load's client count; fewer when other clients of the server leave no room (said).
    let clients = CONNECTIONS;
    for (;;) {
      const r = spawnSync(
        "pgbench",
        ["-n", "-c", String(clients), "-j", "2", "-T", String(SECONDS), bench.href],
        {
          encoding: "utf8",
        },
      );
      const m = /tps = ([\d.]+)/.exec(r.stdout);
      if (r.status === 0 && m) {
        log(`pgbench (TPC-B-like, ${clients} clients): ${Math.round(Number(m[1]))} tps`);
        return Number(m[1]);
      }
      if (!/too many clients/.test(r.stderr) || clients === 1) throw new Error(`pgbench: ${r.stderr}`);
      clients = Math.max(1, Math.floor(clients / 2));
    }
  } finally {
    run("psql", [admin.href, "-qc", `drop database if exists ${scratch} with (force)`]);
  }
}

try {
  await phase("warm-up", { url: `${url}/health`, duration: 1 });
  const health = await phase("GET /health", { url: `${url}/health` });
  const quotes = await phase("POST /api/quotes", {
    url: `${url}/api/quotes`,
    method: "POST",
    headers: auth,
    body: quoteBody,
  });
  await phase("warm-up claims", { url, duration: 1, requests: [{ setupRequest: claimRequest }] });
  const claims = await phase("POST /api/claims", { url, requests: [{ setupRequest: claimRequest }] });
  // Closed-loop p99 at 100 connections is mostly queueing (Little's law: 100 / throughput);
  // with 4 connections the same route shows what one claim costs when nothing queues.
  const light = await phase("POST /api/claims, 4 connections", {
    url,
    connections: 4,
    requests: [{ setupRequest: claimRequest }],
  });
  const pg = process.env.DATABASE_URL ? await postgresPhases(claims.requests.average) : {};
  const result = {
    ...pg,
    baseline_rps: Math.round(health.requests.average),
    quote_rps: Math.round(quotes.requests.average),
    quote_ratio: Number((quotes.requests.average / health.requests.average).toFixed(2)),
    claim_rps: Math.round(claims.requests.average),
    claim_p99_ms: claims.latency.p99,
    rss_mb: serverPeakRssMb(),
    claim_p99_4conn_ms: light.latency.p99,
  };
  console.log(JSON.stringify(result));
} finally {
  server.kill("SIGTERM");
}
