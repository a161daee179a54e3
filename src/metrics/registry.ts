import type { Kysely } from "kysely";
import { Gauge, Histogram, Registry } from "prom-client";
import type { Database } from "../db/schema.ts";
import { claimsByStatus, jobQueue, ledgerBalances } from "./store.ts";

/** The connection pool as pg reports it; absent on the embedded database (one session). */
export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

export interface Metrics {
  registry: Registry;
  /** One finished HTTP request: `route` is the route's pattern ("/api/claims/:id"), never a raw URL. */
  observeRequest(method: string, route: string, status: number, seconds: number): void;
}

const euros = (cents: number) => cents / 100;

/**
 * One registry per app (tests build many apps in one process, so nothing goes into prom-client's
 * global registry). Request durations are observed as they happen; everything else is read when
 * /metrics is scraped: the pool's counters, graphile-worker's queue, claims by status and the
 * ledger's premium balances. Premium billed is what the income accounts were credited; collected
 * is billed minus what is still receivable.
 */
export function createMetrics(db: Kysely<Database>, pool?: () => PoolStats): Metrics {
  const registry = new Registry();
  const duration = new Histogram({
    name: "cyberpolis_http_request_duration_seconds",
    help: "HTTP request duration by route",
    labelNames: ["method", "route", "status_code"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  new Gauge({
    name: "cyberpolis_db_pool_connections",
    help: "Database pool connections by state (PostgreSQL only)",
    labelNames: ["state"],
    registers: [registry],
    collect() {
      if (!pool) return;
      const p = pool();
      this.set({ state: "total" }, p.total);
      this.set({ state: "idle" }, p.idle);
      this.set({ state: "waiting" }, p.waiting);
    },
  });
  new Gauge({
    name: "cyberpolis_job_queue_jobs",
    help: "graphile-worker jobs by task and state (waiting, running, retrying, failed); 0 without a queue",
    labelNames: ["task", "state"],
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await jobQueue(db);
      const states = ["waiting", "running", "retrying", "failed"] as const;
      if (rows.length === 0) for (const state of states) this.set({ task: "all", state }, 0);
      for (const r of rows) for (const state of states) this.set({ task: r.task, state }, Number(r[state]));
    },
  });
  new Gauge({
    name: "cyberpolis_claims",
    help: "Claims by status (new, needs_information, approved, denied, referred)",
    labelNames: ["status"],
    registers: [registry],
    async collect() {
      this.reset();
      for (const status of ["new", "needs_information", "approved", "denied", "referred"])
        this.set({ status }, 0);
      for (const r of await claimsByStatus(db)) this.set({ status: r.status }, Number(r.n));
    },
  });
  const premium = new Gauge({
    name: "cyberpolis_premium_euros",
    help: "Premium billed (income credited, surcharges included) and collected (billed minus receivable)",
    labelNames: ["kind"],
    registers: [registry],
    async collect() {
      const b = new Map((await ledgerBalances(db)).map((r) => [r.account, Number(r.cents)]));
      const billed = -((b.get("premium_income") ?? 0) + (b.get("surcharge_income") ?? 0));
      premium.set({ kind: "billed" }, euros(billed));
      premium.set({ kind: "collected" }, euros(billed - (b.get("premium_receivable") ?? 0)));
    },
  });
  return {
    registry,
    observeRequest(method, route, status, seconds) {
      duration.observe({ method, route, status_code: String(status) }, seconds);
    },
  };
}
