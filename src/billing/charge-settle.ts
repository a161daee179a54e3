import { sql } from "kysely";
import { recordAudit } from "../audit/service.ts";
import type { Tx } from "../db/schema.ts";
import { postEntry } from "../ledger/post.ts";
import { recordPremiumPayment } from "../policies/premium-default.ts";
import type { Ctx } from "../shared/context.ts";
import type { IsoDate } from "../shared/dates.ts";
import { AppError } from "../shared/errors.ts";
import type { Cents } from "../shared/money.ts";

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

/** Money received for a charge: Dr bank / Cr receivable; a reminded or returned charge's reminder is settled. */
export async function payCharge(
  tx: Tx,
  ctx: Ctx,
  input: { charge: ChargeRow; amount: Cents; receivedOn: IsoDate; source: string },
): Promise<"paid" | "already_paid"> {
  const c = input.charge;
  if (c.status === "paid") return "already_paid";
  const owed = chargeOutstanding(c);
  if (input.amount !== owed) {
    throw new AppError(
      "validation_failed",
      `amount ${input.amount} cents doesn't match charge ${c.reference}, which has ${owed} cents outstanding`,
    );
  }
  const updated = await tx
    .updateTable("charge_collections")
    .set({ status: "paid", paid_cents: c.paid_cents + input.amount, settled_on: input.receivedOn })
    .where("adjustment_id", "=", c.adjustment_id)
    .where("status", "=", c.status)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) {
    throw new AppError("conflict", `charge ${c.reference} changed concurrently; retry`);
  }
  await postEntry(tx, ctx, {
    postedOn: input.receivedOn,
    kind: "collection",
    source: input.source,
    policyId: c.policy_id,
    description: `payment of charge ${c.reference}`,
    lines: [
      { account: "bank", amount: input.amount },
      { account: "premium_receivable", amount: -input.amount },
    ],
  });
  const reminded = await tx
    .selectFrom("premium_reminders")
    .select(sql<number>`count(*)::int4`.as("n"))
    .where("adjustment_id", "=", c.adjustment_id)
    .executeTakeFirstOrThrow();
  if (c.status === "returned" || Number(reminded.n) > 0) {
    await recordPremiumPayment(tx, ctx, {
      policyId: c.policy_id,
      receivedOn: input.receivedOn,
      amount: input.amount,
      reference: c.reference,
      adjustmentId: c.adjustment_id,
    });
  }
  await recordAudit(tx, ctx, {
    action: "charge.paid",
    entityType: "charge",
    entityId: c.reference,
    policyId: c.policy_id,
    before: { status: c.status, paid: c.paid_cents },
    after: { status: "paid", amount: input.amount, receivedOn: input.receivedOn },
  });
  return "paid";
}

/** A debit of a charge rejected or returned by the bank; a booked collection is reversed. */
export async function returnCharge(
  tx: Tx,
  ctx: Ctx,
  input: { charge: ChargeRow; reason: string; returnedOn: IsoDate; source: string },
): Promise<"returned" | "already_returned"> {
  const c = input.charge;
  if (c.status === "returned") return "already_returned";
  if (c.method !== "direct_debit") {
    throw new AppError("conflict", `charge ${c.reference} is paid by transfer; there is no debit to return`);
  }
  const updated = await tx
    .updateTable("charge_collections")
    .set({ status: "returned", paid_cents: 0, returned_on: input.returnedOn, return_reason: input.reason })
    .where("adjustment_id", "=", c.adjustment_id)
    .where("status", "=", c.status)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) {
    throw new AppError("conflict", `charge ${c.reference} changed concurrently; retry`);
  }
  if (c.paid_cents > 0) {
    await postEntry(tx, ctx, {
      postedOn: input.returnedOn,
      kind: "collection",
      source: input.source,
      policyId: c.policy_id,
      description: `direct debit of charge ${c.reference} returned (${input.reason})`,
      lines: [
        { account: "premium_receivable", amount: c.paid_cents },
        { account: "bank", amount: -c.paid_cents },
      ],
    });
  }
  await recordAudit(tx, ctx, {
    action: "charge.returned",
    entityType: "charge",
    entityId: c.reference,
    policyId: c.policy_id,
    before: { status: c.status, paid: c.paid_cents },
    after: { status: "returned", reason: input.reason, returnedOn: input.returnedOn },
  });
  return "returned";
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
