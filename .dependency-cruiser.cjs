/**
 * The lines the architecture draws (../shared/design.md, issue 11), checked by `npm test`: other
 * modules only through their index.ts, no runtime import cycles, nothing of the project at run
 * time in src/shared, and no database, file, network or framework import in the pure rules
 * (.dependency-cruiser-pure.cjs also checks what they load indirectly).
 */

const { MODULES, PURE_RULES } = require("./.dependency-cruiser-lists.cjs");

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "modules-through-index",
      severity: "error",
      comment:
        "Another module is reached through its index.ts (or its pure rules), never its internals. Two exceptions: db/schema.ts composes the modules' table types, and an adapter's lazy `await import()` of a heavy entry (billing's worker processes, the job runners) loads it only when a command needs it.",
      from: { path: "^src/([^/]+)/", pathNot: "^src/db/schema\\.ts$" },
      to: {
        dependencyTypesNot: ["dynamic-import"],
        path: `^src/(${MODULES.join("|")})/`,
        pathNot: ["^src/$1/", "^src/[^/]+/index\\.ts$", ...PURE_RULES],
      },
    },
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
