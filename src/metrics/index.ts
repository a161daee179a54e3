/** The metrics module's public surface: Prometheus metrics and the readiness reads. */
export { createMetrics, type Metrics, type PoolStats } from "./registry.ts";
export { appliedMigrations } from "./store.ts";
