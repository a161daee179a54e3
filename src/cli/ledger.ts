import { writeFile } from "node:fs/promises";
import type { Command } from "commander";
import { ledgerCheckReport } from "../flows/finance/reports.ts";
import { checkLedger, monthlyReport, reportCsv } from "../ledger/index.ts";
import { ValidationError } from "../shared/errors.ts";
import { outputFile } from "./args.ts";
import { openCliDatabase } from "./billing.ts";
import { callServer, JSON_OPTION, owningServer, printReport } from "./remote.ts";

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
    .option(...JSON_OPTION)
    .action(async (options: { repair?: boolean; json?: boolean }) => {
      const server = owningServer();
      if (server) {
        if (options.repair) {
          throw new ValidationError([
            {
              path: "--repair",
              message: `stop the server (pid ${server.pid}) first: a repair needs the database to itself`,
            },
          ]);
        }
        printReport(await callServer(server, "GET", "/api/finance/ledger-check"), {
          via: server,
          json: options.json,
        });
        return;
      }
      const db = await openCliDatabase();
      try {
        const result = await db.kysely.transaction().execute((tx) => checkLedger(tx, options));
        printReport(ledgerCheckReport(result), { json: options.json });
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
