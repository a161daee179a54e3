import {
  type PaymentStatusReport,
  SEQUENCE_TYPES,
  type SequenceType,
  validateXml,
} from "../../bank/index.ts";

import { batchByMessageId, collectionByReference, debitReferencesOfBatch } from "../../billing/index.ts";
import type { Tx } from "../../db/schema.ts";
import { pastAttempt, payoutAttemptByEndToEndId, payoutReferencesOfBatch } from "../../payments/index.ts";
import { formatAmount } from "../../shared/money.ts";
import type { ImportPlan } from "./plan.ts";

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

type Batch = { id: number; kind: "direct_debit" | "credit_transfer"; message_id: string };

/** Plans a pain.002 about one of our pain.008 (returns) or pain.001 (payout rejections) files. */
export async function planPain002(tx: Tx, report: PaymentStatusReport, plan: ImportPlan) {
  const date = report.createdAt.slice(0, 10);
  const batch = await batchByMessageId(tx, report.originalMessageId);
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
  if (
    report.originalNumberOfTransactions !== null &&
    batch.transactions !== null &&
    report.originalNumberOfTransactions !== batch.transactions
  ) {
    plan.issues.push({
      path: "OrgnlGrpInfAndSts.OrgnlNbOfTxs",
      message: `${report.originalNumberOfTransactions} transactions, but ${batch.message_id} has ${batch.transactions}`,
    });
  }
  plan.batchIds.push(batch.id);
  const txs: TxStatus[] = report.transactions.map((t, i) => ({
    originalEndToEndId: t.originalEndToEndId,
    status: t.status,
    reasonCode: t.reasonCode,
    amount: t.amount,
    where: `OrgnlPmtInfAndSts.TxInfAndSts[${i}]`,
  }));
  // A payment-information block rejected without its transactions: all of that block's debits or
  // transfers take the block's reason (else the group's).
  for (const [i, info] of report.paymentInfos.entries()) {
    if (info.status !== "RJCT") continue;
    if (report.transactions.some((t) => t.originalPaymentInfoId === info.originalPaymentInfoId)) continue;
    const reason = info.reasonCode ?? report.groupReasonCode;
    txs.push(
      ...(await wholeBlock(tx, batch, info.originalPaymentInfoId, reason, `OrgnlPmtInfAndSts[${i}]`, plan)),
    );
  }
  if (txs.length === 0 && report.groupStatus === "RJCT" && report.paymentInfos.length === 0) {
    // The whole file rejected: every transaction of the batch takes the group's reason.
    txs.push(...(await wholeBatch(tx, batch, null, report.groupReasonCode, "OrgnlGrpInfAndSts")));
  }
  for (const t of txs) {
    if (batch.kind === "direct_debit") await planDebit(tx, batch, t, date, plan);
    else await planTransfer(tx, batch, t, date, plan);
  }
}

/** A debit of the batch: an invoice (by its reference) or a charge collected on its own. */
async function planDebit(tx: Tx, batch: Batch, t: TxStatus, date: string, plan: ImportPlan) {
  const status = t.status ?? "";
  const found = await collectionByReference(tx, t.originalEndToEndId);
  if (!found || found.batchId !== batch.id) {
    plan.issues.push({
      path: t.where,
      message: `${t.originalEndToEndId} is not a collection in ${batch.message_id}`,
    });
    return;
  }
  if (t.amount !== null && t.amount !== found.amount) {
    plan.issues.push({
      path: `${t.where}.OrgnlTxRef.Amt`,
      message: `${formatAmount(t.amount)} doesn't match ${found.what} ${found.reference} (${formatAmount(found.amount)})`,
    });
    return;
  }
  const charge = found.what === "charge";
  if (status === "RJCT") {
    plan.actions.push({
      kind: "return",
      reference: found.reference,
      charge,
      reason: t.reasonCode ?? "NARR",
      date,
      where: t.where,
    });
  } else if (status === "ACSC") {
    plan.actions.push({
      kind: "pay",
      reference: found.reference,
      charge,
      amount: found.amount,
      date,
      where: t.where,
    });
  } else if (INTERIM.has(status)) plan.notes.push(`${found.reference}: ${status}, no change`);
  else plan.issues.push({ path: `${t.where}.TxSts`, message: `status "${status}" is not one we know` });
}

/** A transfer of the batch: a payout's current attempt, or an earlier one that already failed. */
async function planTransfer(tx: Tx, batch: Batch, t: TxStatus, date: string, plan: ImportPlan) {
  const status = t.status ?? "";
  const payout = await payoutAttemptByEndToEndId(tx, t.originalEndToEndId);
  if (!payout || payout.batch_id !== batch.id) {
    const past = await pastAttempt(tx, t.originalEndToEndId);
    if (past && past.batch_id === batch.id && status === "RJCT") {
      plan.notes.push(`${t.originalEndToEndId}: already ${past.outcome} (${past.reason})`);
      return;
    }
    plan.issues.push({
      path: t.where,
      message: `${t.originalEndToEndId} is not a transfer in ${batch.message_id}`,
    });
    return;
  }
  if (status === "RJCT" && payout.status === "cancelled") {
    // Rejected before, then cut to nothing by a lowered claim: nothing is owed any more.
    plan.notes.push(`${payout.end_to_end_id}: cancelled, no change`);
  } else if (status === "RJCT" && payout.status === "executed") {
    plan.issues.push({
      path: t.where,
      message: `${payout.end_to_end_id} was executed; a transfer that comes back is a return (camt.054), not a rejection`,
    });
  } else if (status === "RJCT") {
    plan.actions.push({
      kind: "payout_rejected",
      endToEndId: payout.end_to_end_id,
      reason: t.reasonCode ?? "NARR",
      date,
      where: t.where,
    });
  } else if (status === "ACSC") {
    plan.actions.push({ kind: "payout_executed", endToEndId: payout.end_to_end_id, date, where: t.where });
  } else if (INTERIM.has(status)) plan.notes.push(`${payout.end_to_end_id}: ${status}, no change`);
  else plan.issues.push({ path: `${t.where}.TxSts`, message: `status "${status}" is not one we know` });
}

/**
 * The transactions of one payment-information block, by the PmtInfId our writers give it: the
 * pain.008 writers name each block `<MsgId>-<sequence type>`, the pain.001 writer `<MsgId>`.
 */
async function wholeBlock(
  tx: Tx,
  batch: Batch,
  paymentInfoId: string,
  reason: string | null,
  where: string,
  plan: ImportPlan,
): Promise<TxStatus[]> {
  const prefix = `${batch.message_id}-`;
  if (batch.kind === "credit_transfer" && paymentInfoId === batch.message_id) {
    return wholeBatch(tx, batch, null, reason, where);
  }
  const seq = paymentInfoId.startsWith(prefix) ? paymentInfoId.slice(prefix.length) : null;
  if (batch.kind === "direct_debit" && seq !== null && (SEQUENCE_TYPES as readonly string[]).includes(seq)) {
    const block = await wholeBatch(tx, batch, seq as SequenceType, reason, where);
    if (block.length > 0) return block;
  }
  plan.issues.push({
    path: `${where}.OrgnlPmtInfId`,
    message: `${paymentInfoId} is not a payment-information block of ${batch.message_id} with transactions`,
  });
  return [];
}

async function wholeBatch(
  tx: Tx,
  batch: Batch,
  seq: SequenceType | null,
  reason: string | null,
  where: string,
): Promise<TxStatus[]> {
  const refs =
    batch.kind === "direct_debit"
      ? await debitReferencesOfBatch(tx, batch.id, seq)
      : await payoutReferencesOfBatch(tx, batch.id);
  return refs.map((ref) => ({
    originalEndToEndId: ref,
    status: "RJCT",
    reasonCode: reason,
    amount: null,
    where,
  }));
}
