import { recordAudit } from "../../audit/index.ts";
import type { Tx } from "../../db/schema.ts";
import { postEntry } from "../../ledger/index.ts";
import type { Ctx } from "../../shared/context.ts";
import type { IsoDate } from "../../shared/dates.ts";
import type { Cents } from "../../shared/money.ts";
import { payReceivable, type Receivable, returnReceivable } from "./receivable.ts";

/**
 * State changes of a charge collected on its own (charges.ts): paid (collection date reached, a
 * transfer, `billing pay`), returned by the bank. The same bookings as an invoice's (settle.ts).
 */

export async function chargeByReference(tx: Tx, reference: string, opts: { forUpdate?: boolean } = {}) {
  let q = tx.selectFrom("charge_collections").selectAll().where("reference", "=", reference);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export type ChargeRow = NonNullable<Awaited<ReturnType<typeof chargeByReference>>>;

export function chargeOutstanding(c: ChargeRow): Cents {
  return c.status === "paid" ? 0 : c.amount_cents - c.paid_cents;
}

export const chargeKind: Receivable<ChargeRow> = {
  noun: "charge",
  table: "charge_collections",
  key: (c) => ({ adjustment_id: c.adjustment_id }),
  outstanding: async (_tx, c) => chargeOutstanding(c),
  refusePay: () => undefined,
  refuseReturn: (c) =>
    c.method !== "direct_debit"
      ? `charge ${c.reference} is paid by transfer; there is no debit to return`
      : undefined,
  debit: (c) => `direct debit of charge ${c.reference}`,
  reminders: (c) => ({ adjustment_id: c.adjustment_id }),
  premiumLink: (c) => ({ adjustmentId: c.adjustment_id }),
};

/** Money received for a charge; a reminded or returned charge's reminder is settled (receivable.ts). */
export function payCharge(
  tx: Tx,
  ctx: Ctx,
  input: { charge: ChargeRow; amount: Cents; receivedOn: IsoDate; source: string },
): Promise<"paid" | "already_paid"> {
  return payReceivable(tx, ctx, chargeKind, { row: input.charge, ...input });
}

/** A debit of a charge rejected or returned by the bank; a booked collection is reversed. */
export function returnCharge(
  tx: Tx,
  ctx: Ctx,
  input: { charge: ChargeRow; reason: string; returnedOn: IsoDate; source: string },
): Promise<"returned" | "already_returned"> {
  return returnReceivable(tx, ctx, chargeKind, { row: input.charge, ...input });
}

/**
 * Debits of charges whose collection date has come count as paid (as invoices do in the billing
 * run): Dr bank / Cr receivable, one entry per charge; a bank return reverses it.
 */
export async function settleDueCharges(tx: Tx, ctx: Ctx, date: IsoDate): Promise<string[]> {
  const due = await tx
    .selectFrom("charge_collections")
    .selectAll()
    .where("method", "=", "direct_debit")
    .where("status", "=", "open")
    .where("due_date", "<=", date)
    .orderBy("adjustment_id")
    .forUpdate()
    .execute();
  for (const c of due) {
    await tx
      .updateTable("charge_collections")
      .set({ status: "paid", paid_cents: c.amount_cents, settled_on: c.due_date })
      .where("adjustment_id", "=", c.adjustment_id)
      .where("status", "=", "open")
      .execute();
    await postEntry(tx, ctx, {
      postedOn: c.due_date,
      kind: "collection",
      source: `charge:${c.adjustment_id}:collected`,
      policyId: c.policy_id,
      description: `direct debit of charge ${c.reference} collected`,
      lines: [
        { account: "bank", amount: c.amount_cents },
        { account: "premium_receivable", amount: -c.amount_cents },
      ],
    });
    await recordAudit(tx, ctx, {
      action: "charge.collected",
      entityType: "charge",
      entityId: c.reference,
      policyId: c.policy_id,
      after: { amount: c.amount_cents, collectedOn: c.due_date },
    });
  }
  return due.map((c) => c.reference);
}
