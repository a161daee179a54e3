import { basename } from "node:path";
import type { Command } from "commander";
import { detectBankFileType } from "../bank/index.ts";
import { billingConfig, recordInvoicePayment, runDunning } from "../billing/index.ts";
import { type ImportResult, importBankFile } from "../flows/bank-import/import-file.ts";
import { parseDate } from "../shared/dates.ts";
import { formatAmount, parseAmount } from "../shared/money.ts";
import { readInputFile } from "./args.ts";
import { importSchemas } from "./bank-xsd.ts";
import { cliCtx, openCliDatabase } from "./billing.ts";
import { registerCharges } from "./charges.ts";

const out = (line: string) => process.stdout.write(`${line}\n`);

export async function importFile(file: string, opts: { skipXsd?: boolean } = {}): Promise<ImportResult> {
  const xml = await readInputFile(file, "FILE");
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

export function printImport(file: string, r: ImportResult) {
  if (r.duplicate) {
    out(`${file}: ${r.fileType} ${r.messageId} was imported before; nothing changed`);
    return;
  }
  out(`${file}: ${r.fileType} ${r.messageId} imported${r.xsdChecked ? " (XSD valid)" : ""}`);
  out(`  returned: ${r.returned.length}${r.returned.length ? ` (${r.returned.join(", ")})` : ""}`);
  out(`  paid: ${r.paid.length}${r.paid.length ? ` (${r.paid.join(", ")})` : ""}`);
  if (r.executed.length) out(`  payouts executed: ${r.executed.join(", ")}`);
  if (r.rejected.length) out(`  payouts rejected: ${r.rejected.join(", ")}`);
  if (r.payoutsReturned.length) out(`  payouts returned: ${r.payoutsReturned.join(", ")}`);
  if (r.overpaid.length) out(`  overpaid, to be paid back: ${r.overpaid.join(", ")}`);
  for (const n of r.notes) out(`  note: ${n}`);
}

export function registerBank(program: Command) {
  const bank = program.command("bank").description("files from the bank: status reports and notifications");
  bank
    .command("import")
    .description("apply a pain.002 status report or camt.054 notification (all or nothing; once per file)")
    .argument("<file>", "the XML file from the bank")
    .option("--skip-xsd", "import without the XSD check (when BANK_XSD_DIR has no schemas)")
    .action(async (file: string, options: { skipXsd?: boolean }) =>
      printImport(file, await importFile(file, options)),
    );

  // `billing dunning` and `billing pay` belong to premium default; they hang under `billing` so the
  // whole premium cycle is one command group.
  const billing = program.commands.find((c) => c.name() === "billing") ?? program.command("billing");
  billing
    .command("dunning")
    .description("send the reminder (NL) or formal notice (BE) for every unpaid invoice past due")
    .requiredOption("--date <YYYY-MM-DD>", "the date of the reminders")
    .action(async (options: { date: string }) => {
      const date = parseDate(options.date, "--date");
      const db = await openCliDatabase();
      try {
        const r = await runDunning(db.kysely, cliCtx(), { date, config: billingConfig() });
        out(`dunning ${r.date}: ${r.letters} letters for ${r.reminders.length} unpaid invoices and charges`);
        for (const m of r.reminders) {
          out(
            `  ${m.reference}: ${m.kind}, EUR ${formatAmount(m.amount)}, suspended from ${m.suspensionFrom} if unpaid`,
          );
        }
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
    .action(async (options: { invoice: string; date: string; amount?: string }) => {
      const receivedOn = parseDate(options.date, "--date");
      const amount = options.amount === undefined ? null : parseAmount(options.amount, "--amount");
      const db = await openCliDatabase();
      try {
        const outcome = await db.kysely
          .transaction()
          .execute((tx) =>
            recordInvoicePayment(tx, cliCtx(), { reference: options.invoice, receivedOn, amount }),
          );
        out(`${options.invoice}: ${outcome === "paid" ? `paid on ${receivedOn}` : "was already paid"}`);
      } finally {
        await db.close();
      }
    });
}
