import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import {
  BankFileError,
  type BankFileType,
  camt054ElementIssues,
  detectBankFileType,
  pain002ElementIssues,
  parseDebitCreditNotification,
  parsePaymentStatusReport,
  validateXml,
} from "../../bank/index.ts";
import {
  type BillingConfig,
  insertImport,
  markBatchesSubmitted,
  priorImport,
  setImportSummary,
} from "../../billing/index.ts";
import type { Database, Tx } from "../../db/schema.ts";
import type { Ctx } from "../../shared/context.ts";
import { applyAction } from "./apply.ts";
import { planCamt054 } from "./camt054.ts";
import { checkPain002Schema, planPain002 } from "./pain002.ts";
import { checkIdentifiers, emptyPlan } from "./plan.ts";

export interface ImportOptions {
  xml: string;
  fileName?: string | null;
  config: BillingConfig;
  /** The EPC pain.002.001.10 schema; null skips the XSD check (the schemas live outside the repo). */
  pain002Xsd?: string | null;
  /**
   * A camt.054 schema of the file's version; null: the file may carry only the elements its version
   * defines (src/bank/camt054-elements.ts), and structure, check digits and amounts are checked.
   */
  camt054Xsd?: string | null;
}

export interface ImportResult {
  fileType: BankFileType;
  messageId: string;
  /** True when this file (same bytes or same message id) was imported before: nothing changed. */
  duplicate: boolean;
  xsdChecked: boolean;
  /** Invoices and charges whose debit came back. */
  returned: string[];
  /** Invoices and charges paid. */
  paid: string[];
  executed: string[];
  rejected: string[];
  /** Payouts the payee's bank sent back (they go out again with the next export). */
  payoutsReturned: string[];
  /** Money not owed, to be paid back: `<reference> EUR x.xx → <payout EndToEndId>`. */
  overpaid: string[];
  notes: string[];
}

/**
 * `bank import FILE`: a pain.002 status report or a camt.054 notification, checked in full (schema,
 * structure, check digits, our creditor and account, every reference and amount against our
 * invoices and payouts) and then applied in one transaction: all of it, or, on any problem,
 * nothing. The file is recorded by hash and message id, so a second import changes nothing.
 */
export async function importBankFile(
  db: Kysely<Database>,
  ctx: Ctx,
  opts: ImportOptions,
): Promise<ImportResult> {
  const sha256 = createHash("sha256").update(opts.xml).digest("hex");
  const fileType = detectBankFileType(opts.xml);
  if (fileType !== "pain.002.001.10" && !fileType.startsWith("camt.054")) {
    throw new BankFileError(
      "bank_file_unknown_type",
      `${fileType} is a payment initiation, not a report from the bank: import pain.002 or camt.054 files`,
    );
  }
  const plan = emptyPlan();
  checkIdentifiers(opts.xml, opts.config.creditor.creditorId, plan.issues);
  let messageId: string;
  let xsdChecked = false;
  let planner: (tx: Tx) => Promise<void>;
  if (fileType === "pain.002.001.10") {
    const report = parsePaymentStatusReport(opts.xml);
    messageId = report.messageId;
    xsdChecked = await checkPain002Schema(opts.xml, report, opts.pain002Xsd ?? null, plan);
    if (!xsdChecked) plan.issues.push(...pain002ElementIssues(opts.xml));
    planner = (tx) => planPain002(tx, report, plan);
  } else {
    const note = parseDebitCreditNotification(opts.xml);
    messageId = note.messageId;
    if (opts.camt054Xsd) {
      const result = await validateXml(opts.xml, opts.camt054Xsd);
      for (const e of result.errors) plan.issues.push({ path: "xsd", message: e });
      xsdChecked = true;
    } else plan.issues.push(...camt054ElementIssues(opts.xml));
    planner = (tx) => planCamt054(tx, note, opts.config, plan);
  }
  const base = {
    fileType,
    messageId,
    xsdChecked,
    returned: [],
    paid: [],
    executed: [],
    rejected: [],
    payoutsReturned: [],
    overpaid: [],
  };
  return db.transaction().execute(async (tx) => {
    const seen = await priorImport(tx, sha256, fileType, messageId);
    if (seen) return { ...base, duplicate: true, notes: [`already imported (import ${seen.id})`] };
    await planner(tx);
    if (plan.issues.length > 0) {
      throw new BankFileError(
        "bank_file_invalid",
        `${opts.fileName ?? fileType} ${messageId} not imported, nothing applied: ${plan.issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
        plan.issues,
      );
    }
    const importId = await insertImport(tx, ctx, {
      sha256,
      fileType,
      messageId,
      fileName: opts.fileName ?? null,
    });
    // A concurrent import of the same file committed first.
    if (importId === null) return { ...base, duplicate: true, notes: ["already imported"] };
    const result: ImportResult = {
      ...base,
      duplicate: false,
      returned: [],
      paid: [],
      executed: [],
      rejected: [],
      payoutsReturned: [],
      overpaid: [],
      notes: plan.notes,
    };
    for (const action of plan.actions) await applyAction(tx, ctx, importId, action, result);
    await markBatchesSubmitted(tx, plan.batchIds);
    const { fileType: _t, messageId: _m, ...summary } = result;
    await setImportSummary(tx, importId, summary);
    return result;
  });
}
