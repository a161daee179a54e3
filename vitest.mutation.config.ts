import { defineConfig } from "vitest/config";

/**
 * The unit tests only, for mutation testing (stryker.config.json): no database global setup, and
 * without test/unit/cli, which spawns the built CLI (a bundle Stryker does not instrument) and
 * only slows every dry run.
 */
export default defineConfig({
  test: {
    include: ["test/unit/**/*.test.ts"],
    exclude: ["test/unit/cli/**"],
    testTimeout: 30_000,
  },
});
