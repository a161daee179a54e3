import { join } from "node:path";
import type { Command } from "commander";
import { billingConfig } from "../billing/index.ts";
import { paymentsExportReport } from "../flows/finance/reports.ts";
import { exportPayments, setPayoutAccount } from "../payments/index.ts";
import { type IsoDate, parseDate } from "../shared/dates.ts";
import { ValidationError } from "../shared/errors.ts";
import { outputDir, uuidArg } from "./args.ts";
import { importFile, printImport } from "./bank.ts";
import { cliCtx, openCliDatabase } from "./billing.ts";
import { callServer, JSON_OPTION, owningServer, printReport } from "./remote.ts";

const out = (line: string) => process.stdout.write(`${line}\n`);

function today(): IsoDate {
  return new Date().toISOString().slice(0, 10);
}

export function registerPayments(program: Command) {
  const payments = program
    .command("payments")
    .description("claim payouts and premium refunds by SEPA credit transfer");
  payments
    .command("export")
    .description(
      "put approved claims, refunds and overpayments not yet paid (and payouts the bank rejected or returned) in one pain.001 file",
    )
    .option("--date <YYYY-MM-DD>", "requested execution date (default today)")
    .option("--out <dir>", "where the pain.001 goes (default DATA_DIR/bank)")
    .option(...JSON_OPTION)
    .action(async (options: { date?: string; out?: string; json?: boolean }) => {
      const date = parseDate(options.date ?? today(), "--date");
      const server = owningServer();
      if (server) {
        if (options.out !== undefined) {
          throw new ValidationError([
            {
              path: "--out",
              message: `not available while the server (pid ${server.pid}) owns the embedded database: it writes to its BANK_DIR`,
            },
          ]);
        }
        printReport(await callServer(server, "POST", "/api/finance/payments-exports", { date }), {
          via: server,
          json: options.json,
        });
        return;
      }
      const outDir = await outputDir(options.out ?? join(process.env.DATA_DIR || "./data", "bank"), "--out");
      const db = await openCliDatabase();
      try {
        const r = await exportPayments(db.kysely, cliCtx(), { date, outDir, config: billingConfig() });
        printReport(paymentsExportReport(r), { json: options.json });
      } finally {
        await db.close();
      }
    });
  payments
    .command("confirm")
    .description("mark payouts executed or rejected from the bank's camt.054 or pain.002")
    .argument("<file>", "the XML file from the bank")
    .option("--skip-xsd", "import without the XSD check (when BANK_XSD_DIR has no schemas)")
    .option(...JSON_OPTION)
    .action(async (file: string, options: { skipXsd?: boolean; json?: boolean }) =>
      printImport(file, await importFile(file, options), options.json),
    );
  payments
    .command("iban")
    .description("the account a policy's payouts go to (instead of the mandate's)")
    .requiredOption("--policy <id>", "policy id")
    .requiredOption("--iban <IBAN>", "the payee's IBAN")
    .requiredOption("--name <holder>", "the account holder")
    .option("--bic <BIC>", "the payee's BIC")
    .action(async (options: { policy: string; iban: string; name: string; bic?: string }) => {
      const policyId = uuidArg(options.policy, "--policy", "a policy id");
      const db = await openCliDatabase();
      try {
        await db.kysely.transaction().execute((tx) =>
          setPayoutAccount(tx, cliCtx(), {
            policyId,
            iban: options.iban,
            accountHolder: options.name,
            bic: options.bic ?? null,
          }),
        );
        out(`payouts of policy ${options.policy} go to ${options.iban.replace(/\s+/g, "").toUpperCase()}`);
      } finally {
        await db.close();
      }
    });
}
