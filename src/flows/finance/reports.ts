import type { ChargesRun, DunningResult, RunSummary } from "../../billing/index.ts";
import type { LedgerCheck } from "../../ledger/index.ts";
import type { PaymentsExport } from "../../payments/index.ts";
import { formatAmount } from "../../shared/money.ts";
import type { ImportResult } from "../bank-import/import-file.ts";

/**
 * What finance is told after each operation, as lines: the CLI prints them, and the API returns
 * them beside the structured result, so a command run through a server (the embedded database's
 * CLI) reads exactly as one run on the database itself. `attention` marks a result someone must
 * act on (payouts left waiting, a ledger that does not check): the CLI exits 1 then.
 */
export interface Report {
  lines: string[];
  attention: boolean;
  /** The result itself, for `--json` and API clients: money in integer cents. */
  data?: unknown;
}

export function billingRunReport(summary: RunSummary, charges: ChargesRun | null): Report {
  const lines = [
    `billing run ${summary.runDate}: ${summary.invoices} invoices, EUR ${formatAmount(summary.total)} ` +
      `(${summary.newInvoices} new), ${summary.files.length} files`,
  ];
  for (const f of summary.files) {
    lines.push(
      `  ${f.path}: collection ${f.collectionDate}, ${f.transactions} debits, EUR ${formatAmount(f.total)}`,
    );
  }
  if (summary.withoutMandate > 0) {
    lines.push(`  ${summary.withoutMandate} direct-debit invoices have no active mandate and are in no file`);
  }
  if (summary.setAside > 0) {
    lines.push(
      `  ${summary.setAside} direct debits set aside: their mandate can't go into a bank file; ` +
        "requested by letter (see `billing set-aside`)",
    );
  }
  if (charges && charges.collected.length + charges.debited.length + charges.requested.length > 0) {
    lines.push(
      `charges ${charges.date}: ${charges.collected.length} collected, ${charges.debited.length} to debit, ` +
        `${charges.requested.length} payment requests`,
    );
    for (const f of charges.files) {
      lines.push(
        `  ${f.path}: collection ${f.collectionDate}, ${f.transactions} debits, EUR ${formatAmount(f.total)}`,
      );
    }
  }
  return { lines, attention: false, data: { ...summary, charges } };
}

export function dunningReport(r: DunningResult): Report {
  return {
    lines: [
      `dunning ${r.date}: ${r.letters} letters for ${r.reminders.length} unpaid invoices and charges`,
      ...r.reminders.map(
        (m) =>
          `  ${m.reference}: ${m.kind}, EUR ${formatAmount(m.amount)}, suspended from ${m.suspensionFrom} if unpaid`,
      ),
    ],
    attention: false,
    data: r,
  };
}

export function paymentsExportReport(r: PaymentsExport): Report {
  const lines = [`accrued: ${r.accrued.claims} claim payouts, ${r.accrued.refunds} refunds`];
  lines.push(
    r.file
      ? `${r.file.path}: ${r.file.messageId}, ${r.file.transactions} transfers, EUR ${formatAmount(r.file.total)}`
      : "nothing to pay",
  );
  for (const m of r.withoutAccount) {
    lines.push(
      `  NO IBAN: ${m.kind} ${m.what} (policy ${m.policyNumber}), EUR ${formatAmount(m.amount)}: set one with \`payments iban\``,
    );
  }
  for (const m of r.awaitingAccount) {
    lines.push(
      `  REJECTED ${m.reason}: ${m.kind} ${m.what} (policy ${m.policyNumber}), EUR ${formatAmount(m.amount)}: goes out again after \`payments iban\` sets a corrected account`,
    );
  }
  return { lines, attention: r.withoutAccount.length > 0 || r.awaitingAccount.length > 0, data: r };
}

export function bankImportReport(file: string, r: ImportResult): Report {
  if (r.duplicate) {
    return {
      lines: [`${file}: ${r.fileType} ${r.messageId} was imported before; nothing changed`],
      attention: false,
    };
  }
  const lines = [`${file}: ${r.fileType} ${r.messageId} imported${r.xsdChecked ? " (XSD valid)" : ""}`];
  lines.push(`  returned: ${r.returned.length}${r.returned.length ? ` (${r.returned.join(", ")})` : ""}`);
  lines.push(`  paid: ${r.paid.length}${r.paid.length ? ` (${r.paid.join(", ")})` : ""}`);
  if (r.executed.length) lines.push(`  payouts executed: ${r.executed.join(", ")}`);
  if (r.rejected.length) lines.push(`  payouts rejected: ${r.rejected.join(", ")}`);
  if (r.payoutsReturned.length) lines.push(`  payouts returned: ${r.payoutsReturned.join(", ")}`);
  if (r.overpaid.length) lines.push(`  overpaid, to be paid back: ${r.overpaid.join(", ")}`);
  for (const n of r.notes) lines.push(`  note: ${n}`);
  return { lines, attention: false, data: r };
}

export function ledgerCheckReport(result: LedgerCheck): Report {
  const lines = [
    `${result.entries} entries, ${result.lines} lines, sum of all lines ${formatAmount(result.total)}`,
  ];
  for (const b of result.balances)
    lines.push(`  ${b.account.padEnd(20)} ${formatAmount(b.rebuilt).padStart(16)}`);
  for (const s of result.subledgers) {
    lines.push(`  ${s.account}: ledger ${formatAmount(s.ledger)}, detail rows ${formatAmount(s.subledger)}`);
  }
  for (const p of result.problems) lines.push(`PROBLEM ${p}`);
  lines.push(result.ok ? "ledger OK" : `ledger NOT OK: ${result.problems.length} problems`);
  return { lines, attention: !result.ok, data: result };
}

export function paymentReport(reference: string, receivedOn: string, outcome: string): Report {
  return {
    lines: [`${reference}: ${outcome === "paid" ? `paid on ${receivedOn}` : "was already paid"}`],
    attention: false,
    data: { reference, receivedOn, outcome },
  };
}
