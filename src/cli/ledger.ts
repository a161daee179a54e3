import { writeFile } from "node:fs/promises";
import type { Command } from "commander";
import { checkLedger, monthlyReport, reportCsv } from "../ledger/index.ts";
import { ValidationError } from "../shared/errors.ts";
import { formatAmount } from "../shared/money.ts";
import { outputFile } from "./args.ts";
import { openCliDatabase } from "./billing.ts";

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

function month(value: string | undefined, name: string): string | undefined {
  if (value !== undefined && !MONTH.test(value)) {
    throw new ValidationError([{ path: name, message: `must be a month YYYY-MM (got "${value}")` }]);
  }
  return value;
}

export function registerLedger(program: Command) {
  const ledger = program.command("ledger").description("the double-entry ledger");
  ledger
    .command("check")
    .description("prove that all entries sum to zero and rebuild every balance from the entries")
    .option("--repair", "replace stored balances by the rebuilt ones")
    .action(async (options: { repair?: boolean }) => {
      const db = await openCliDatabase();
      try {
        const result = await db.kysely.transaction().execute((tx) => checkLedger(tx, options));
        const out = (line: string) => process.stdout.write(`${line}\n`);
        out(
          `${result.entries} entries, ${result.lines} lines, sum of all lines ${formatAmount(result.total)}`,
        );
        for (const b of result.balances) {
          out(`  ${b.account.padEnd(20)} ${formatAmount(b.rebuilt).padStart(16)}`);
        }
        for (const s of result.subledgers) {
          out(`  ${s.account}: ledger ${formatAmount(s.ledger)}, detail rows ${formatAmount(s.subledger)}`);
        }
        for (const p of result.problems) out(`PROBLEM ${p}`);
        out(result.ok ? "ledger OK" : `ledger NOT OK: ${result.problems.length} problems`);
        process.exitCode = result.ok ? 0 : 1;
      } finally {
        await db.close();
      }
    });
  ledger
    .command("report")
    .description(
      "monthly finance report as CSV: written premium, collected, outstanding, claims paid, refunds",
    )
    .option("--from <YYYY-MM>", "first month")
    .option("--to <YYYY-MM>", "last month")
    .option("--out <file>", "write the CSV to a file instead of stdout")
    .action(async (options: { from?: string; to?: string; out?: string }) => {
      const range = { from: month(options.from, "--from"), to: month(options.to, "--to") };
      const file = options.out === undefined ? null : await outputFile(options.out, "--out");
      const db = await openCliDatabase();
      try {
        const csv = reportCsv(await monthlyReport(db.kysely, range));
        if (file) await writeFile(file, csv);
        else process.stdout.write(csv);
      } finally {
        await db.close();
      }
    });
}
