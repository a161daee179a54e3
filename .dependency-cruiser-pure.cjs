/**
 * The second half of the pure-core rule, checked on the run-time graph only (type imports erased,
 * as they are when the code runs): what a pure rule loads, however indirectly, does no I/O. The
 * main config checks each file's direct imports, type-only ones included.
 */
const main = require("./.dependency-cruiser.cjs");
const { PURE_RULES } = require("./.dependency-cruiser-lists.cjs");

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "pure-rules-reach-no-io",
      severity: "error",
      comment: "A pure rule loads, directly or not, nothing that does I/O: no database, files or network.",
      from: { path: PURE_RULES },
      to: {
        reachable: true,
        path: [
          "^src/db/",
          "/store\\.ts$",
          "node_modules/(kysely|pg|@electric-sql|fastify|pino|graphile-worker)/",
          "^(node:)?(fs|fs/promises|net|http|https|child_process|worker_threads|dgram)$",
        ],
      },
    },
  ],
  options: { ...main.options, tsPreCompilationDeps: false },
};
