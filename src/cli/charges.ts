import { join } from "node:path";
import type { Command } from "commander";
import { billingConfig, runCharges } from "../billing/index.ts";
import { parseDate } from "../shared/dates.ts";
import { formatAmount } from "../shared/money.ts";
import { outputDir } from "./args.ts";
import { cliCtx, openCliDatabase } from "./billing.ts";

const out = (line: string) => process.stdout.write(`${line}\n`);

/** `billing charges`: positive corrections collected on their own (src/billing/charges.ts). */
export function registerCharges(billing: Command) {
  billing
    .command("charges")
    .description(
      "collect charges (positive corrections): book debits whose date came, write a pain.008 per collection date, payment requests for the rest",
    )
    .requiredOption(
      "--date <YYYY-MM-DD>",
      "the date of the run (letters, and collection date + pre-notification days)",
    )
    .option("--out <dir>", "where the pain.008 files go (default DATA_DIR/bank)")
    .action(async (options: { date: string; out?: string }) => {
      const date = parseDate(options.date, "--date");
      const outDir = await outputDir(options.out ?? join(process.env.DATA_DIR || "./data", "bank"), "--out");
      const db = await openCliDatabase();
      try {
        const r = await runCharges(db.kysely, cliCtx(), { date, outDir, config: billingConfig() });
        out(
          `charges ${r.date}: ${r.collected.length} collected, ${r.debited.length} to debit, ${r.requested.length} payment requests`,
        );
        for (const f of r.files) {
          out(
            `  ${f.path}: collection ${f.collectionDate}, ${f.transactions} debits, EUR ${formatAmount(f.total)}`,
          );
        }
        for (const ref of r.requested) out(`  payment request: ${ref}`);
      } finally {
        await db.close();
      }
    });
}
