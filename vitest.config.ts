import { defineConfig } from "vitest/config";

/**
 * Projects: `unit` is pure (no database); `pglite` and `postgres` run the same database tests
 * against each backend, every test file on its own clone of a migrated template (see
 * test/support/global-setup.ts); `e2e` is reserved for browser journeys.
 * Run one with `npx vitest run --project pglite`.
 */

const dbTests = ["test/db/**/*.test.ts"];
const globalSetup = ["test/support/global-setup.ts"];

export default defineConfig({
  test: {
    // Two cores: two workers keep both busy; more only adds PGlite instances competing for memory.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["test/unit/**/*.test.ts"] },
      },
      {
        extends: true,
        test: { name: "pglite", include: dbTests, globalSetup, env: { CYBERPOLIS_TEST_DB: "pglite" } },
      },
      {
        extends: true,
        test: { name: "postgres", include: dbTests, globalSetup, env: { CYBERPOLIS_TEST_DB: "postgres" } },
      },
      {
        extends: true,
        test: { name: "e2e", include: ["test/e2e/**/*.test.ts"], testTimeout: 60_000 },
      },
    ],
  },
});
