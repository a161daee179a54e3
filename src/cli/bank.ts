import { basename } from "node:path";
import type { Command } from "commander";
import { detectBankFileType, importSchemas } from "../bank/index.ts";
import { billingConfig, recordInvoicePayment, runDunning } from "../billing/index.ts";
import { type ImportResult, importBankFile } from "../flows/bank-import/import-file.ts";
import { bankImportReport, dunningReport, paymentReport } from "../flows/finance/reports.ts";
import { parseDate } from "../shared/dates.ts";
import { parseAmount } from "../shared/money.ts";
import { readInputFile } from "./args.ts";
import { cliCtx, openCliDatabase } from "./billing.ts";
import { registerCharges } from "./charges.ts";
import { callServer, JSON_OPTION, owningServer, printReport } from "./remote.ts";

const _out = (line: string) => process.stdout.write(`${line}\n`);

export async function importFile(file: string, opts: { skipXsd?: boolean } = {}): Promise<ImportResult> {
  const xml = await readInputFile(file, "FILE");
  return importXml(file, xml, opts);
}

async function importXml(file: string, xml: string, opts: { skipXsd?: boolean }): Promise<ImportResult> {
  // Resolved (and refused when missing) before the database is opened: nothing is applied either way.
  const schemas = importSchemas(detectBankFileType(xml), { skip: opts.skipXsd === true });
  const db = await openCliDatabase();
  try {
    const r = await importBankFile(db.kysely, cliCtx(), {
      xml,
      fileName: basename(file),
      config: billingConfig(),
      pain002Xsd: schemas.pain002Xsd,
      camt054Xsd: schemas.camt054Xsd,
    });
    return schemas.note ? { ...r, notes: [schemas.note, ...r.notes] } : r;
  } finally {
    await db.close();
  }
}

export function printImport(file: string, r: ImportResult, json = false) {
  printReport(bankImportReport(file, r), { json });
}

/** `bank import FILE`, on the database or through the server that owns it. */
async function importCommand(file: string, options: { skipXsd?: boolean; json?: boolean }) {
  const opts = options;
  const xml = await readInputFile(file, "FILE");
  const server = owningServer();
  if (server) {
    const body = { fileName: basename(file), xml, skipXsd: opts.skipXsd === true };
    printReport(await callServer(server, "POST", "/api/finance/bank-imports", body), {
      via: server,
      json: options.json,
    });
    return;
  }
  printImport(file, await importXml(file, xml, opts), options.json);
}

export function registerBank(program: Command) {
  const bank = program.command("bank").description("files from the bank: status reports and notifications");
  bank
    .command("import")
    .description("apply a pain.002 status report or camt.054 notification (all or nothing; once per file)")
    .argument("<file>", "the XML file from the bank")
    .option("--skip-xsd", "import without the XSD check (when BANK_XSD_DIR has no schemas)")
    .option(...JSON_OPTION)
    .action(importCommand);

  // `billing dunning` and `billing pay` belong to premium default; they hang under `billing` so the
  // whole premium cycle is one command group.
  const billing = program.commands.find((c) => c.name() === "billing") ?? program.command("billing");
  billing
    .command("dunning")
    .description("send the reminder (NL) or formal notice (BE) for every unpaid invoice past due")
    .requiredOption("--date <YYYY-MM-DD>", "the date of the reminders")
    .option(...JSON_OPTION)
    .action(async (options: { date: string; json?: boolean }) => {
      const date = parseDate(options.date, "--date");
      const server = owningServer();
      if (server) {
        printReport(await callServer(server, "POST", "/api/finance/dunning-runs", { date }), {
          via: server,
          json: options.json,
        });
        return;
      }
      const db = await openCliDatabase();
      try {
        printReport(dunningReport(await runDunning(db.kysely, cliCtx(), { date, config: billingConfig() })), {
          json: options.json,
        });
      } finally {
        await db.close();
      }
    });
  registerCharges(billing);
  billing
    .command("pay")
    .description("record a payment of an invoice (or a charge) received outside the bank files")
    .requiredOption("--invoice <reference>", "the invoice reference, or a charge's <policy>-C<id>")
    .requiredOption("--date <YYYY-MM-DD>", "the day the money was received")
    .option("--amount <EUR>", "the amount received (default: what is outstanding)")
    .option(...JSON_OPTION)
    .action(async (options: { invoice: string; date: string; amount?: string; json?: boolean }) => {
      const receivedOn = parseDate(options.date, "--date");
      const amount = options.amount === undefined ? null : parseAmount(options.amount, "--amount");
      const server = owningServer();
      if (server) {
        const body = {
          reference: options.invoice,
          receivedOn,
          ...(options.amount === undefined ? {} : { amount: options.amount }),
        };
        printReport(await callServer(server, "POST", "/api/finance/invoice-payments", body), {
          via: server,
          json: options.json,
        });
        return;
      }
      const db = await openCliDatabase();
      try {
        const outcome = await db.kysely
          .transaction()
          .execute((tx) =>
            recordInvoicePayment(tx, cliCtx(), { reference: options.invoice, receivedOn, amount }),
          );
        printReport(paymentReport(options.invoice, receivedOn, outcome), { json: options.json });
      } finally {
        await db.close();
      }
    });
}
