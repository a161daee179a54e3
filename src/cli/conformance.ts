import type { Command } from "commander";
import { loadScenario, runScenario, scenarioFiles } from "../conformance/runner.ts";
import { openDatabase } from "../db/connection.ts";
import { migrate } from "../db/migrate.ts";
import { openEmbedded } from "../db/template.ts";
import { defaultCatalog } from "../products/index.ts";

export interface ConformanceSummary {
  passed: number;
  failed: number;
}

/** Runs scenario files and prints a line per scenario, failing steps, and `N passed, M failed`. */
export async function runConformance(
  paths: string[],
  opts: { databaseUrl?: string; out?: (line: string) => void } = {},
): Promise<ConformanceSummary> {
  const out = opts.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const catalog = defaultCatalog();
  const loaded = scenarioFiles(paths).map(loadScenario);
  const db = opts.databaseUrl
    ? await openDatabase({ url: opts.databaseUrl })
    : await openEmbedded({ memory: true });
  let passed = 0;
  let failed = 0;
  try {
    await migrate(db);
    for (const item of loaded) {
      if (!item.scenario) {
        failed++;
        out(`FAIL ${item.file}: ${item.error}`);
        continue;
      }
      const result = await runScenario(db.kysely, catalog, item.scenario);
      if (result.passed) {
        passed++;
        out(`PASS ${item.scenario.name} (${item.file})`);
      } else {
        failed++;
        out(`FAIL ${item.scenario.name} (${item.file})`);
        for (const f of result.failures) out(`    ${f}`);
      }
    }
  } finally {
    await db.close();
  }
  out(`${passed} passed, ${failed} failed`);
  return { passed, failed };
}

export function registerConformance(program: Command) {
  program
    .command("conformance")
    .description("run conformance scenarios (files or folders of *.json) on a fresh database")
    .argument("<paths...>", "scenario files or folders")
    .option(
      "--database-url <url>",
      "run on this PostgreSQL server instead of an in-memory PGlite (every scenario is rolled back)",
    )
    .option("--json", "print the result as one JSON object ({ok, lines, data})")
    .action(async (paths: string[], options: { databaseUrl?: string; json?: boolean }) => {
      const lines: string[] = [];
      const summary = await runConformance(paths, {
        databaseUrl: options.databaseUrl,
        ...(options.json ? { out: (line: string) => lines.push(line) } : {}),
      });
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ ok: summary.failed === 0, lines, data: summary })}\n`);
      }
      process.exitCode = summary.failed > 0 ? 1 : 0;
    });
}
