import {
  chargeByReference,
  invoiceByReference,
  payCharge,
  payInvoice,
  returnCharge,
  returnInvoice,
} from "../../billing/index.ts";
import type { Tx } from "../../db/schema.ts";
import {
  markPayoutExecuted,
  markPayoutRejected,
  markPayoutReturned,
  payoutByEndToEndId,
  recordOverpayment,
} from "../../payments/index.ts";
import type { Ctx } from "../../shared/context.ts";
import { NotFoundError } from "../../shared/errors.ts";
import { formatAmount } from "../../shared/money.ts";
import type { ImportResult } from "./import-file.ts";
import type { ImportAction } from "./plan.ts";

/** Applies one planned action of a bank file, inside the import's transaction. */
export async function applyAction(
  tx: Tx,
  ctx: Ctx,
  importId: number,
  action: ImportAction,
  result: ImportResult,
) {
  const source = `bank:${importId}:${action.where}`;
  const record = (done: boolean, list: string[], yes: string, no: string) =>
    (done ? list : result.notes).push(done ? yes : no);
  switch (action.kind) {
    case "return":
    case "pay": {
      if (action.charge) return applyToCharge(tx, ctx, action, source, result);
      // Read again under a lock: an earlier action of the same file may have changed the invoice.
      const invoice = await invoiceByReference(tx, action.reference, { forUpdate: true });
      if (!invoice) throw new NotFoundError("invoice", action.reference);
      if (action.kind === "return") {
        const outcome = await returnInvoice(tx, ctx, {
          invoice,
          reason: action.reason,
          returnedOn: action.date,
          source,
        });
        const r = action.reference;
        return record(
          outcome === "returned",
          result.returned,
          `${r} (${action.reason})`,
          `${r}: already returned`,
        );
      }
      const outcome = await payInvoice(tx, ctx, {
        invoice,
        amount: action.amount,
        receivedOn: action.date,
        source,
      });
      return record(outcome === "paid", result.paid, action.reference, `${action.reference}: already paid`);
    }
    case "overpaid": {
      const made = await recordOverpayment(tx, ctx, {
        policyId: action.policyId,
        reference: action.reference,
        amount: action.amount,
        payerName: action.payerName,
        payerIban: action.payerIban,
        receivedOn: action.date,
        bankImportId: importId,
        source,
      });
      const what = `${action.reference} EUR ${formatAmount(action.amount)}`;
      return record(
        made !== null,
        result.overpaid,
        `${what} → ${made?.endToEndId}`,
        `${what}: already recorded`,
      );
    }
    default:
      return applyToPayout(tx, ctx, action, source, result);
  }
}

async function applyToCharge(
  tx: Tx,
  ctx: Ctx,
  action: Extract<ImportAction, { kind: "return" | "pay" }>,
  source: string,
  result: ImportResult,
) {
  const charge = await chargeByReference(tx, action.reference, { forUpdate: true });
  if (!charge) throw new NotFoundError("charge", action.reference);
  const r = action.reference;
  if (action.kind === "return") {
    const outcome = await returnCharge(tx, ctx, {
      charge,
      reason: action.reason,
      returnedOn: action.date,
      source,
    });
    (outcome === "returned" ? result.returned : result.notes).push(
      outcome === "returned" ? `${r} (${action.reason})` : `${r}: already returned`,
    );
    return;
  }
  const outcome = await payCharge(tx, ctx, {
    charge,
    amount: action.amount,
    receivedOn: action.date,
    source,
  });
  (outcome === "paid" ? result.paid : result.notes).push(outcome === "paid" ? r : `${r}: already paid`);
}

async function applyToPayout(
  tx: Tx,
  ctx: Ctx,
  action: Extract<ImportAction, { kind: "payout_executed" | "payout_rejected" | "payout_returned" }>,
  source: string,
  result: ImportResult,
) {
  const payout = await payoutByEndToEndId(tx, action.endToEndId);
  if (!payout) throw new NotFoundError("payout", action.endToEndId);
  const id = action.endToEndId;
  if (action.kind === "payout_executed") {
    const outcome = await markPayoutExecuted(tx, ctx, payout, action.date);
    (outcome === "executed" ? result.executed : result.notes).push(
      outcome === "executed" ? id : `${id}: already executed`,
    );
  } else if (action.kind === "payout_rejected") {
    const outcome = await markPayoutRejected(tx, ctx, payout, action.reason, action.date);
    (outcome === "rejected" ? result.rejected : result.notes).push(
      outcome === "rejected" ? `${id} (${action.reason})` : `${id}: already rejected`,
    );
  } else {
    const outcome = await markPayoutReturned(tx, ctx, payout, {
      reason: action.reason,
      returnedOn: action.date,
      amount: action.amount,
      source,
    });
    (outcome === "returned" ? result.payoutsReturned : result.notes).push(
      outcome === "returned" ? `${id} (${action.reason})` : `${id}: already returned`,
    );
  }
}
