import { electronicFormatIBAN } from "ibantools";
import type { DebitCreditNotification, NotificationEntry, NotificationTransaction } from "../bank/index.ts";
import type { Tx } from "../db/schema.ts";
import { formatAmount } from "../shared/money.ts";
import type { BillingConfig } from "./config.ts";
import type { ImportPlan } from "./import-plan.ts";
import { invoiceByReference, outstandingOf } from "./settle.ts";

/**
 * Plans a camt.054 on the insurer's account: direct-debit credits and returns by EndToEndId,
 * transfers by policyholders by EndToEndId or an invoice reference in the remittance text, and
 * our own payouts (debits) by EndToEndId. Other movements on the account are noted, not applied.
 */
export async function planCamt054(
  tx: Tx,
  note: DebitCreditNotification,
  config: BillingConfig,
  plan: ImportPlan,
) {
  const fallbackDate = note.createdAt.slice(0, 10);
  for (const [e, entry] of note.entries.entries()) {
    const where = `Ntfctn.Ntry[${e}]`;
    if (entry.accountIban !== null && electronicFormatIBAN(entry.accountIban) !== config.creditor.iban) {
      plan.issues.push({
        path: `${where}.Acct.Id.IBAN`,
        message: `account ${entry.accountIban} is not ours (${config.creditor.iban}): a notification for another account`,
      });
      continue;
    }
    if (entry.status !== "BOOK") {
      plan.notes.push(`${where}: status ${entry.status}, not booked yet`);
      continue;
    }
    if (entry.transactions.length === 0) {
      plan.notes.push(`${where}: no transaction details, not ours to match`);
      continue;
    }
    const date = entry.bookingDate ?? entry.valueDate ?? fallbackDate;
    for (const [t, txn] of entry.transactions.entries()) {
      await planTransaction(tx, entry, txn, { date, where: `${where}.NtryDtls.TxDtls[${t}]` }, plan);
    }
  }
}

async function planTransaction(
  tx: Tx,
  entry: NotificationEntry,
  txn: NotificationTransaction,
  at: { date: string; where: string },
  plan: ImportPlan,
) {
  const amount = txn.amount ?? (entry.transactions.length === 1 ? entry.amount : null);
  const side = txn.creditDebit ?? entry.creditDebit;
  const isDirectDebit = txn.creditorSchemeId !== null || txn.mandateId !== null;
  if (side === "DBIT" && (txn.isReturn || entry.reversal)) {
    const inv = txn.endToEndId ? await invoiceByReference(tx, txn.endToEndId) : undefined;
    if (!inv) {
      plan.issues.push({
        path: at.where,
        message: `return of ${txn.endToEndId ?? "(no EndToEndId)"}: no such invoice of ours`,
      });
      return;
    }
    if (amount !== null && amount !== inv.amount_cents) {
      plan.issues.push({
        path: `${at.where}.Amt`,
        message: `return of ${formatAmount(amount)} doesn't match invoice ${inv.reference} (${formatAmount(inv.amount_cents)})`,
      });
      return;
    }
    plan.actions.push({
      kind: "return",
      reference: inv.reference,
      reason: txn.returnReasonCode ?? "NARR",
      date: at.date,
      where: at.where,
    });
    return;
  }
  if (side === "DBIT") {
    const payout = txn.endToEndId
      ? await tx
          .selectFrom("payouts")
          .select(["end_to_end_id", "amount_cents"])
          .where("end_to_end_id", "=", txn.endToEndId)
          .executeTakeFirst()
      : undefined;
    if (!payout) {
      plan.notes.push(`${at.where}: debit ${txn.endToEndId ?? ""} is not a payout of ours`);
      return;
    }
    if (amount !== payout.amount_cents) {
      plan.issues.push({
        path: `${at.where}.Amt`,
        message: `debit of ${amount === null ? "(no amount)" : formatAmount(amount)} doesn't match payout ${payout.end_to_end_id} (${formatAmount(payout.amount_cents)})`,
      });
      return;
    }
    plan.actions.push({
      kind: "payout_executed",
      endToEndId: payout.end_to_end_id,
      date: at.date,
      where: at.where,
    });
    return;
  }
  const inv = await findInvoice(tx, txn);
  if (!inv) {
    if (isDirectDebit)
      plan.issues.push({
        path: at.where,
        message: `collection ${txn.endToEndId ?? "(no EndToEndId)"}: no such invoice of ours`,
      });
    else plan.notes.push(`${at.where}: credit without an invoice reference of ours`);
    return;
  }
  if (inv.status === "paid" && (isDirectDebit || inv.batch_id !== null)) {
    // The billing run already booked this collection on its date; the bank's credit confirms it.
    if (amount !== null && amount !== inv.amount_cents) {
      plan.issues.push({
        path: `${at.where}.Amt`,
        message: `${formatAmount(amount)} doesn't match invoice ${inv.reference} (${formatAmount(inv.amount_cents)})`,
      });
    } else plan.notes.push(`${inv.reference}: collection confirmed`);
    return;
  }
  const owed = inv.status === "paid" ? 0 : await outstandingOf(tx, inv);
  if (amount === null || amount !== owed) {
    plan.issues.push({
      path: `${at.where}.Amt`,
      message: `${amount === null ? "(no amount)" : formatAmount(amount)} doesn't match invoice ${inv.reference} (${formatAmount(owed)} outstanding)`,
    });
    return;
  }
  plan.actions.push({ kind: "pay", reference: inv.reference, amount, date: at.date, where: at.where });
}

/** By EndToEndId, else the first word of the remittance text that is one of our invoice references. */
async function findInvoice(tx: Tx, txn: NotificationTransaction) {
  if (txn.endToEndId) {
    const inv = await invoiceByReference(tx, txn.endToEndId);
    if (inv) return inv;
  }
  const words = txn.remittanceInformation
    .flatMap((u) => u.split(/[\s,;]+/))
    .filter((w) => w.length >= 6 && w.length <= 35);
  if (words.length === 0) return undefined;
  return tx
    .selectFrom("invoices")
    .selectAll()
    .where("reference", "in", words)
    .orderBy("period_start")
    .executeTakeFirst();
}
