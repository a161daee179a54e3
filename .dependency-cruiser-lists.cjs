/** What the import rules (.dependency-cruiser.cjs, .dependency-cruiser-pure.cjs) are about. */

/** The pure core: rules that take time and data as arguments. */
const PURE_RULES = [
  "^src/claims/decide\\.ts$",
  "^src/claims/explain\\.ts$",
  "^src/claims/override-cap\\.ts$",
  "^src/products/(quote|schema)\\.ts$",
  "^src/policies/(cover|cancellation|suspension|start-date)\\.ts$",
  "^src/billing/schedule\\.ts$",
  "^src/billing/run/chunk-plan\\.ts$",
  "^src/identity/(login-backoff|token-lifetime)\\.ts$",
  "^src/documents/(ipid|letters|schedule|render|pdf|model)\\.ts$",
  "^src/assistance/(model|sla|risk|notice|entitlement)\\.ts$",
];

/** The business modules: each owns its folder, its tables and its index.ts (its public surface). */
const MODULES = [
  "assistance",
  "audit",
  "bank",
  "billing",
  "claims",
  "distribution",
  "documents",
  "idempotency",
  "identity",
  "jobs",
  "ledger",
  "parties",
  "payments",
  "policies",
  "products",
];

module.exports = { MODULES, PURE_RULES };
