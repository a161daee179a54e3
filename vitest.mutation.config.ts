import { defineConfig } from "vitest/config";

/**
 * The unit tests only, for mutation testing (stryker.config.json): no database global setup, and
 * without test/unit/cli, which spawns the built CLI (a bundle Stryker does not instrument), nor the
 * SEPA file tests, which validate against ../shared/xsd: Stryker runs from a sandbox copy of the
 * repository under .tmp/stryker, where ../shared does not resolve. None of them pins a rule of the
 * pure core that the rule tests do not.
 */
export default defineConfig({
  test: {
    include: ["test/unit/**/*.test.ts"],
    exclude: ["test/unit/cli/**", "test/unit/bank/**", "test/unit/billing/pain008-*.test.ts"],
    testTimeout: 30_000,
  },
});
