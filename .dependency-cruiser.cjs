/**
 * The lines the architecture draws (../shared/design.md, issue 11), checked by `npm test`.
 * Held today: no runtime import cycles, nothing of the project at run time in src/shared, and no
 * database, file, network or framework import in the pure rules. Issue 11 adds, once every module
 * has its store: Kysely only in stores and migrations, and other modules only through index.ts.
 */
const PURE_RULES = [
  "^src/claims/decide\\.ts$",
  "^src/claims/explain\\.ts$",
  "^src/products/quote\\.ts$",
  "^src/policies/(cover|cancellation|suspension|start-date)\\.ts$",
  "^src/billing/(schedule|chunk-plan)\\.ts$",
  "^src/identity/(login-backoff|token-lifetime)\\.ts$",
  "^src/documents/(ipid|letters|schedule|render|pdf|model)\\.ts$",
];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "Runtime import cycles make load order and ownership unclear; type-only imports do not count.",
      from: { path: "^src/" },
      to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } },
    },
    {
      name: "shared-imports-nothing",
      severity: "error",
      comment:
        "src/shared is the bottom layer (money, dates, errors, ids, i18n): nothing of the project at run time.",
      from: { path: "^src/shared/" },
      to: { path: "^src/", pathNot: "^src/shared/", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "pure-rules-without-io",
      severity: "error",
      comment: "The pure core takes time and data as arguments: no database, files, network or framework.",
      from: { path: PURE_RULES },
      to: {
        path: [
          "^src/db/",
          "/store\\.ts$",
          "node_modules/(kysely|pg|@electric-sql|fastify|pino|graphile-worker)/",
          "^(node:)?(fs|fs/promises|net|http|https|child_process|worker_threads|dgram)$",
        ],
      },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default"],
    },
  },
};
