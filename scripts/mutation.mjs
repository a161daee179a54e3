// `npm run test:mutation [-- --mutate src/billing/schedule.ts]`: Stryker at low priority (the
// machine is shared), then the mutation score per file as the last line, even when Stryker fails.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const run = spawnSync("nice", ["-n", "10", "npx", "stryker", "run", ...process.argv.slice(2)], {
  stdio: "inherit",
});
if (existsSync("reports/mutation/mutation.json")) {
  await import("./mutation-score.mjs");
}
process.exit(run.status ?? 1);
