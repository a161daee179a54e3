import { type PaymentStatusReport, validateXml } from "../bank/index.ts";
import type { Tx } from "../db/schema.ts";
import { formatAmount } from "../shared/money.ts";
import type { ImportPlan } from "./import-plan.ts";

/** ISO statuses that say "received, not final": the report changes nothing for them. */
const INTERIM = new Set(["ACCP", "ACTC", "ACSP", "ACWC", "ACCC", "PDNG", "RCVD", "PART"]);

/**
 * The EPC SDD schema only admits RJCT, so only a pure rejection report is held to it; a report with
 * positive statuses (a bank's ISO pain.002) would fail it for being positive, not for being wrong.
 */
export async function checkPain002Schema(
  xml: string,
  report: PaymentStatusReport,
  xsdPath: string | null,
  plan: ImportPlan,
): Promise<boolean> {
  const statuses = [
    report.groupStatus,
    ...report.paymentInfos.map((p) => p.status),
    ...report.transactions.map((t) => t.status),
  ].filter((s): s is string => s !== null);
  if (xsdPath === null || statuses.some((s) => s !== "RJCT")) return false;
  const result = await validateXml(xml, xsdPath);
  for (const e of result.errors) plan.issues.push({ path: "xsd", message: e });
  return true;
}

interface TxStatus {
  originalEndToEndId: string;
  status: string | null;
  reasonCode: string | null;
  amount: number | null;
  where: string;
}

/** Plans a pain.002 about one of our pain.008 (returns) or pain.001 (payout rejections) files. */
export async function planPain002(tx: Tx, report: PaymentStatusReport, plan: ImportPlan) {
  const date = report.createdAt.slice(0, 10);
  const batch = await tx
    .selectFrom("payment_batches")
    .selectAll()
    .where("message_id", "=", report.originalMessageId)
    .executeTakeFirst();
  if (!batch) {
    plan.issues.push({
      path: "OrgnlGrpInfAndSts.OrgnlMsgId",
      message: `${report.originalMessageId} is not a bank file of ours (a report for another creditor?)`,
    });
    return;
  }
  const expected = batch.kind === "direct_debit" ? "pain.008" : "pain.001";
  if (!report.originalMessageType.startsWith(expected)) {
    plan.issues.push({
      path: "OrgnlGrpInfAndSts.OrgnlMsgNmId",
      message: `${report.originalMessageId} is a ${expected} file, the report says ${report.originalMessageType}`,
    });
    return;
  }
  if (
    report.originalControlSum !== null &&
    batch.total_cents !== null &&
    report.originalControlSum !== batch.total_cents
  ) {
    plan.issues.push({
      path: "OrgnlGrpInfAndSts.OrgnlCtrlSum",
      message: `${formatAmount(report.originalControlSum)} doesn't match the ${formatAmount(batch.total_cents)} of ${batch.message_id}`,
    });
  }
  plan.batchIds.push(batch.id);
  const where = (i: number) => `OrgnlPmtInfAndSts.TxInfAndSts[${i}]`;
  let txs: TxStatus[] = report.transactions.map((t, i) => ({
    originalEndToEndId: t.originalEndToEndId,
    status: t.status,
    reasonCode: t.reasonCode,
    amount: t.amount,
    where: where(i),
  }));
  if (txs.length === 0 && report.groupStatus === "RJCT") {
    // The whole file rejected: every transaction of the batch takes the group's reason.
    txs = await wholeBatch(tx, batch.id, batch.kind, report.groupReasonCode);
  } else if (txs.length === 0 && report.paymentInfos.some((p) => p.status === "RJCT")) {
    plan.issues.push({
      path: "OrgnlPmtInfAndSts",
      message: "a payment-info rejection without transaction details: ask the bank for the transactions",
    });
  }
  for (const t of txs) {
    const status = t.status ?? "";
    if (batch.kind === "direct_debit") {
      const inv = await tx
        .selectFrom("invoices")
        .select(["reference", "amount_cents", "batch_id"])
        .where("reference", "=", t.originalEndToEndId)
        .executeTakeFirst();
      if (!inv || inv.batch_id !== batch.id) {
        plan.issues.push({
          path: t.where,
          message: `${t.originalEndToEndId} is not a collection in ${batch.message_id}`,
        });
        continue;
      }
      if (t.amount !== null && t.amount !== inv.amount_cents) {
        plan.issues.push({
          path: `${t.where}.OrgnlTxRef.Amt`,
          message: `${formatAmount(t.amount)} doesn't match invoice ${inv.reference} (${formatAmount(inv.amount_cents)})`,
        });
        continue;
      }
      if (status === "RJCT") {
        plan.actions.push({
          kind: "return",
          reference: inv.reference,
          reason: t.reasonCode ?? "NARR",
          date,
          where: t.where,
        });
      } else if (status === "ACSC") {
        plan.actions.push({
          kind: "pay",
          reference: inv.reference,
          amount: inv.amount_cents,
          date,
          where: t.where,
        });
      } else if (INTERIM.has(status)) plan.notes.push(`${inv.reference}: ${status}, no change`);
      else plan.issues.push({ path: `${t.where}.TxSts`, message: `status "${status}" is not one we know` });
    } else {
      const payout = await tx
        .selectFrom("payouts")
        .select(["end_to_end_id", "batch_id"])
        .where("end_to_end_id", "=", t.originalEndToEndId)
        .executeTakeFirst();
      if (!payout || payout.batch_id !== batch.id) {
        plan.issues.push({
          path: t.where,
          message: `${t.originalEndToEndId} is not a transfer in ${batch.message_id}`,
        });
        continue;
      }
      if (status === "RJCT") {
        plan.actions.push({
          kind: "payout_rejected",
          endToEndId: payout.end_to_end_id,
          reason: t.reasonCode ?? "NARR",
          where: t.where,
        });
      } else if (status === "ACSC") {
        plan.actions.push({
          kind: "payout_executed",
          endToEndId: payout.end_to_end_id,
          date,
          where: t.where,
        });
      } else if (INTERIM.has(status)) plan.notes.push(`${payout.end_to_end_id}: ${status}, no change`);
      else plan.issues.push({ path: `${t.where}.TxSts`, message: `status "${status}" is not one we know` });
    }
  }
}

async function wholeBatch(
  tx: Tx,
  batchId: number,
  kind: "direct_debit" | "credit_transfer",
  reason: string | null,
): Promise<TxStatus[]> {
  const refs =
    kind === "direct_debit"
      ? await tx.selectFrom("invoices").select("reference as ref").where("batch_id", "=", batchId).execute()
      : await tx
          .selectFrom("payouts")
          .select("end_to_end_id as ref")
          .where("batch_id", "=", batchId)
          .execute();
  return refs.map((r) => ({
    originalEndToEndId: r.ref,
    status: "RJCT",
    reasonCode: reason,
    amount: null,
    where: "OrgnlGrpInfAndSts",
  }));
}
