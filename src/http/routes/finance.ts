import { basename } from "node:path";
import { z } from "zod";
import { detectBankFileType, importSchemas } from "../../bank/index.ts";
import {
  billingConfig,
  recordInvoicePayment,
  runBilling,
  runCharges,
  runDunning,
} from "../../billing/index.ts";
import { importBankFile } from "../../flows/bank-import/import-file.ts";
import {
  bankImportReport,
  billingRunReport,
  dunningReport,
  ledgerCheckReport,
  paymentReport,
  paymentsExportReport,
} from "../../flows/finance/reports.ts";
import type { Role } from "../../identity/index.ts";
import { checkLedger } from "../../ledger/index.ts";
import { exportPayments } from "../../payments/index.ts";
import { parseAmount } from "../../shared/money.ts";
import type { Router } from "../router.ts";
import { dateInput, moneyInput } from "../schemas.ts";

const FINANCE: readonly Role[] = ["finance", "admin"];

/** Every finance answer: what happened, as the CLI prints it, and whether someone must act. */
const report = z
  .object({
    lines: z.array(z.string()).describe("what happened, line by line (as `npx cyberpolis` prints it)"),
    attention: z.boolean().describe("true when something waits for finance (the CLI exits 1)"),
    data: z.unknown().describe("the result itself; money in integer cents"),
  })
  .meta({ id: "FinanceReport" });

const onDate = z.object({ date: dateInput.describe("the business date of the run") }).strict();

/**
 * The finance operations of the CLI as API operations (issue 14 item 1), so nothing needs the
 * database folder while a server owns it: the CLI beside an embedded server calls these. Each is
 * idempotent by its natural key (a run date, a file's hash and message id), so a retry after a lost
 * answer repeats nothing; they run their own transactions (`transaction: "own"`).
 */
export function registerFinanceRoutes(r: Router) {
  r.route({
    method: "POST",
    url: "/finance/billing-runs",
    summary: "Bill everything due up to the date (one pain.008 per collection date) and take up charges",
    tags: ["finance"],
    roles: FINANCE,
    transaction: "own",
    rateLimit: "exports",
    body: onDate,
    response: report,
    handler: async ({ db, ctx, body, bankDir }) => {
      const config = billingConfig();
      const summary = await runBilling(db, ctx, {
        date: body.date,
        outDir: bankDir,
        config,
        pooled: r.deps.pooled === true,
      });
      const charges = await runCharges(db, ctx, { date: body.date, outDir: bankDir, config });
      return billingRunReport(summary, charges);
    },
  });

  r.route({
    method: "POST",
    url: "/finance/dunning-runs",
    summary: "Remind every policy in arrears (reminder NL, formal notice BE), one letter per policy",
    tags: ["finance"],
    roles: FINANCE,
    transaction: "own",
    body: onDate,
    response: report,
    handler: async ({ db, ctx, body }) =>
      dunningReport(await runDunning(db, ctx, { date: body.date, config: billingConfig() })),
  });

  r.route({
    method: "POST",
    url: "/finance/payments-exports",
    summary: "Put approved claims, refunds and overpayments not yet paid in one pain.001 file",
    tags: ["finance"],
    roles: FINANCE,
    transaction: "own",
    rateLimit: "exports",
    body: onDate,
    response: report,
    handler: async ({ db, ctx, body, bankDir }) =>
      paymentsExportReport(
        await exportPayments(db, ctx, { date: body.date, outDir: bankDir, config: billingConfig() }),
      ),
  });

  r.route({
    method: "POST",
    url: "/finance/bank-imports",
    summary: "Apply a pain.002 status report or camt.054 notification: all or nothing, once per file",
    tags: ["finance"],
    roles: FINANCE,
    transaction: "own",
    rateLimit: "uploads",
    body: z
      .object({
        fileName: z.string().min(1).max(255).describe("the file's name, kept with the import"),
        xml: z.string().min(1).describe("the file's content"),
        skipXsd: z
          .boolean()
          .optional()
          .describe("import without the XSD check (when no schemas are installed)"),
      })
      .strict(),
    response: report,
    handler: async ({ db, ctx, body }) => {
      const schemas = importSchemas(detectBankFileType(body.xml), { skip: body.skipXsd === true });
      const name = basename(body.fileName);
      const result = await importBankFile(db, ctx, {
        xml: body.xml,
        fileName: name,
        config: billingConfig(),
        pain002Xsd: schemas.pain002Xsd,
        camt054Xsd: schemas.camt054Xsd,
      });
      return bankImportReport(
        name,
        schemas.note ? { ...result, notes: [schemas.note, ...result.notes] } : result,
      );
    },
  });

  r.route({
    method: "POST",
    url: "/finance/invoice-payments",
    summary: "Record a payment of an invoice (or a charge) received outside the bank files",
    tags: ["finance"],
    roles: FINANCE,
    idempotent: true,
    body: z
      .object({
        reference: z.string().min(1).max(64).describe("the invoice reference, or a charge's <policy>-C<id>"),
        receivedOn: dateInput,
        amount: moneyInput.optional().describe("what was received (default: what is outstanding)"),
      })
      .strict(),
    response: report,
    handler: async ({ tx, ctx, body }) => {
      const amount = body.amount === undefined ? null : parseAmount(body.amount, "amount");
      const outcome = await recordInvoicePayment(tx, ctx, {
        reference: body.reference,
        receivedOn: body.receivedOn,
        amount,
      });
      return paymentReport(body.reference, body.receivedOn, outcome);
    },
  });

  r.route({
    method: "GET",
    url: "/finance/ledger-check",
    summary: "Prove that all entries sum to zero and rebuild every balance from the entries",
    tags: ["finance"],
    roles: FINANCE,
    response: report,
    handler: async ({ tx }) => ledgerCheckReport(await checkLedger(tx)),
  });
}
