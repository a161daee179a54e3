import { electronicFormatIBAN } from "ibantools";
import type {
  DebitCreditNotification,
  NotificationEntry,
  NotificationTransaction,
} from "../../bank/index.ts";
import {
  type BillingConfig,
  chargeByReference,
  chargeOutstanding,
  collectionByReference,
  invoiceByReference,
  outstandingOf,
} from "../../billing/index.ts";
import type { Tx } from "../../db/schema.ts";
import { pastAttempt, payoutByEndToEndId } from "../../payments/index.ts";
import { type Cents, formatAmount } from "../../shared/money.ts";
import type { ImportPlan } from "./plan.ts";

/**
 * Plans a camt.054 on the insurer's account: direct-debit credits and returns by EndToEndId,
 * transfers by policyholders by EndToEndId or an invoice/charge reference in the remittance text
 * (more than is owed, or money for something already paid, is an overpayment to pay back), our own
 * payouts (debits) by EndToEndId, and returned payouts (credits with return information). Other
 * movements on the account are noted, not applied.
 */
export async function planCamt054(
  tx: Tx,
  note: DebitCreditNotification,
  config: BillingConfig,
  plan: ImportPlan,
) {
  const fallbackDate = note.createdAt.slice(0, 10);
  // What this file has already paid per reference, so two credits for one invoice can't both pay it.
  const paidInFile = new Map<string, Cents>();
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
      const at = { date, where: `${where}.NtryDtls.TxDtls[${t}]` };
      await planTransaction(tx, entry, txn, at, plan, paidInFile);
    }
  }
}

interface At {
  date: string;
  where: string;
}

async function planTransaction(
  tx: Tx,
  entry: NotificationEntry,
  txn: NotificationTransaction,
  at: At,
  plan: ImportPlan,
  paidInFile: Map<string, Cents>,
) {
  const amount = txn.amount ?? (entry.transactions.length === 1 ? entry.amount : null);
  const side = txn.creditDebit ?? entry.creditDebit;
  if (side === "DBIT" && (txn.isReturn || entry.reversal)) return planDebitReturn(tx, txn, amount, at, plan);
  if (side === "DBIT") return planPayoutDebit(tx, txn, amount, at, plan);
  // A credit transfer of ours sent back: return information, or the ISO code "issued credit
  // transfer, return" (PMNT/ICDT/RRTN) on the entry.
  if (txn.isReturn || /\/ICDT\/RRTN$/.test(entry.bankTransactionCode ?? "")) {
    return planPayoutReturn(tx, txn, amount, at, plan);
  }
  return planCredit(tx, txn, amount, at, plan, paidInFile);
}

/** A direct debit of ours (invoice or charge) returned by the debtor's bank. */
async function planDebitReturn(
  tx: Tx,
  txn: NotificationTransaction,
  amount: Cents | null,
  at: At,
  plan: ImportPlan,
) {
  const found = txn.endToEndId ? await collectionByReference(tx, txn.endToEndId) : undefined;
  if (!found) {
    plan.issues.push({
      path: at.where,
      message: `return of ${txn.endToEndId ?? "(no EndToEndId)"}: no such invoice of ours`,
    });
    return;
  }
  if (amount !== null && amount !== found.amount) {
    plan.issues.push({
      path: `${at.where}.Amt`,
      message: `return of ${formatAmount(amount)} doesn't match ${found.what} ${found.reference} (${formatAmount(found.amount)})`,
    });
    return;
  }
  plan.actions.push({
    kind: "return",
    reference: found.reference,
    charge: found.what === "charge",
    reason: txn.returnReasonCode ?? "NARR",
    date: at.date,
    where: at.where,
  });
}

/** A debit on our account: the execution of one of our transfers. */
async function planPayoutDebit(
  tx: Tx,
  txn: NotificationTransaction,
  amount: Cents | null,
  at: At,
  plan: ImportPlan,
) {
  const found = await matchPayout(tx, txn, amount, at, plan, "debit");
  if (!found) return;
  if (!found.payout) {
    const { past } = found;
    if (past?.outcome === "returned") {
      plan.notes.push(`${at.where}: debit ${past.end_to_end_id} was booked with its return`);
    } else if (past) {
      plan.issues.push({
        path: at.where,
        message: `debit ${past.end_to_end_id}: the bank rejected that transfer (${past.reason}), it can't be executed`,
      });
    } else plan.notes.push(`${at.where}: debit ${txn.endToEndId ?? ""} is not a payout of ours`);
    return;
  }
  const { payout } = found;
  if (payout.status === "returned") {
    plan.notes.push(`${payout.end_to_end_id}: execution booked with its return`);
    return;
  }
  plan.actions.push({
    kind: "payout_executed",
    endToEndId: payout.end_to_end_id,
    date: at.date,
    where: at.where,
  });
}

/** A credit that returns one of our transfers (the payee's bank refused it after execution). */
async function planPayoutReturn(
  tx: Tx,
  txn: NotificationTransaction,
  amount: Cents | null,
  at: At,
  plan: ImportPlan,
) {
  const found = await matchPayout(tx, txn, amount, at, plan, "return");
  if (!found) return;
  if (!found.payout) {
    const { past } = found;
    if (past?.outcome === "returned")
      plan.notes.push(`${past.end_to_end_id}: already returned (${past.reason})`);
    else
      plan.issues.push({
        path: at.where,
        message: `returned transfer ${txn.endToEndId ?? "(no EndToEndId)"}: no such payout of ours in a bank file`,
      });
    return;
  }
  const { payout } = found;
  plan.actions.push({
    kind: "payout_returned",
    endToEndId: payout.end_to_end_id,
    reason: txn.returnReasonCode ?? "NARR",
    amount: payout.amount_cents,
    date: at.date,
    where: at.where,
  });
}

/**
 * The payout a debit or a returned transfer names by EndToEndId, if the amounts agree (else an issue,
 * and null); without one, the failed attempt that EndToEndId may have been.
 */
async function matchPayout(
  tx: Tx,
  txn: NotificationTransaction,
  amount: Cents | null,
  at: At,
  plan: ImportPlan,
  what: "debit" | "return",
) {
  const payout = txn.endToEndId ? await payoutByEndToEndId(tx, txn.endToEndId) : undefined;
  if (!payout) return { past: txn.endToEndId ? await pastAttempt(tx, txn.endToEndId) : undefined };
  if (amount !== payout.amount_cents) {
    plan.issues.push({
      path: `${at.where}.Amt`,
      message: `${what} of ${amount === null ? "(no amount)" : formatAmount(amount)} doesn't match payout ${payout.end_to_end_id} (${formatAmount(payout.amount_cents)})`,
    });
    return null;
  }
  return { payout };
}

/**
 * Money in: a direct-debit collection (confirms what the billing run booked) or a policyholder's
 * transfer. A transfer pays what is outstanding on the invoice or charge it names; what it brings
 * beyond that (all of it, when nothing is owed) is an overpayment, paid back to the payer.
 */
async function planCredit(
  tx: Tx,
  txn: NotificationTransaction,
  amount: Cents | null,
  at: At,
  plan: ImportPlan,
  paidInFile: Map<string, Cents>,
) {
  const isDirectDebit = txn.creditorSchemeId !== null || txn.mandateId !== null;
  const found = await findCollection(tx, txn);
  if (!found) {
    if (isDirectDebit)
      plan.issues.push({
        path: at.where,
        message: `collection ${txn.endToEndId ?? "(no EndToEndId)"}: no such invoice of ours`,
      });
    else plan.notes.push(`${at.where}: credit without an invoice reference of ours`);
    return;
  }
  const { ref, status, outstanding } = found;
  const collectedByUs = ref.batchId !== null && (isDirectDebit || txn.endToEndId === ref.reference);
  if (status === "paid" && collectedByUs) {
    // The billing run already booked this collection on its date; the bank's credit confirms it.
    if (amount !== null && amount !== ref.amount) {
      plan.issues.push({
        path: `${at.where}.Amt`,
        message: `${formatAmount(amount)} doesn't match ${ref.what} ${ref.reference} (${formatAmount(ref.amount)})`,
      });
    } else plan.notes.push(`${ref.reference}: collection confirmed`);
    return;
  }
  const owed = Math.max(0, outstanding - (paidInFile.get(ref.reference) ?? 0));
  if (amount === null || amount < owed || (isDirectDebit && amount !== owed)) {
    // A debit collects exactly what we asked; a partial transfer is not applied (staff book it).
    plan.issues.push({
      path: `${at.where}.Amt`,
      message: `${amount === null ? "(no amount)" : formatAmount(amount)} doesn't match ${ref.what} ${ref.reference} (${formatAmount(owed)} outstanding)`,
    });
    return;
  }
  if (owed > 0) {
    paidInFile.set(ref.reference, (paidInFile.get(ref.reference) ?? 0) + owed);
    plan.actions.push({
      kind: "pay",
      reference: ref.reference,
      charge: ref.what === "charge",
      amount: owed,
      date: at.date,
      where: at.where,
    });
  }
  if (amount > owed) {
    plan.actions.push({
      kind: "overpaid",
      policyId: ref.policyId,
      reference: ref.reference,
      amount: amount - owed,
      payerName: txn.debtorName,
      payerIban: txn.debtorIban === null ? null : (electronicFormatIBAN(txn.debtorIban) ?? txn.debtorIban),
      date: at.date,
      where: at.where,
    });
  }
}

/** By EndToEndId, else the first word of the remittance text that is one of our references. */
async function findCollection(tx: Tx, txn: NotificationTransaction) {
  const words = txn.remittanceInformation
    .flatMap((u) => u.split(/[\s,;]+/))
    .filter((w) => w.length >= 6 && w.length <= 35);
  for (const candidate of [...(txn.endToEndId ? [txn.endToEndId] : []), ...words]) {
    const ref = await collectionByReference(tx, candidate);
    if (!ref) continue;
    if (ref.what === "invoice") {
      const inv = await invoiceByReference(tx, ref.reference);
      if (!inv) continue;
      const open = inv.status === "open" || inv.status === "returned";
      return { ref, status: inv.status, outstanding: open ? await outstandingOf(tx, inv) : 0 };
    }
    const charge = await chargeByReference(tx, ref.reference);
    if (!charge) continue;
    return { ref, status: charge.status, outstanding: chargeOutstanding(charge) };
  }
  return undefined;
}
