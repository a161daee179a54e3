import { recordAudit } from "../audit/index.ts";
import type { Tx } from "../db/schema.ts";
import type { Ctx } from "../shared/context.ts";
import { compareDates, type IsoDate } from "../shared/dates.ts";
import { ValidationError } from "../shared/errors.ts";
import type { Cents } from "../shared/money.ts";
import { loadPolicy } from "./repository.ts";
import { suspensionPeriods } from "./suspension.ts";

/**
 * Premium default (art. 7:934 BW; the Belgian formal notice): reminders and payments of overdue
 * premium, and the suspension periods they imply.
 */

/** Rebuilds the stored suspension periods from the reminders; called after every reminder or payment. */
async function refreshSuspensions(tx: Tx, ctx: Ctx, policyId: string, suspendAfterDays: number) {
  const reminders = await tx
    .selectFrom("premium_reminders")
    .selectAll()
    .where("policy_id", "=", policyId)
    .execute();
  const periods = suspensionPeriods(
    reminders.map((r) => ({
      id: r.id,
      dueDate: r.due_date,
      reminderDate: r.reminder_date,
      settledOn: r.settled_on,
    })),
    suspendAfterDays,
  );
  await tx.deleteFrom("premium_suspensions").where("policy_id", "=", policyId).execute();
  if (periods.length > 0) {
    await tx
      .insertInto("premium_suspensions")
      .values(
        periods.map((p) => ({
          policy_id: policyId,
          reminder_id: p.noticeId,
          from_date: p.from,
          until_date: p.until,
          created_at: ctx.now,
        })),
      )
      .execute();
  }
  return periods;
}

/** A reminder (NL, art. 7:934 BW) or formal notice (BE) for premium unpaid on `dueDate`. */
export async function recordPremiumReminder(
  tx: Tx,
  ctx: Ctx,
  input: {
    policyId: string;
    dueDate: IsoDate;
    reminderDate: IsoDate;
    amount?: Cents | null;
    /** The unpaid invoice (its period start) when dunning sends the reminder. */
    invoicePeriodStart?: IsoDate | null;
    /** The unpaid charge (its adjustment id) when dunning reminds one collected on its own. */
    adjustmentId?: number | null;
  },
) {
  const { policy, product } = await loadPolicy(tx, ctx, input.policyId, { forUpdate: true });
  if (compareDates(input.reminderDate, input.dueDate) < 0) {
    throw new ValidationError(
      [{ path: "reminderDate", message: `lies before the due date ${input.dueDate}` }],
      "dates_out_of_order",
    );
  }
  if (compareDates(input.dueDate, policy.start_date) < 0) {
    throw new ValidationError(
      [{ path: "dueDate", message: `lies before the policy start ${policy.start_date}` }],
      "dates_out_of_order",
    );
  }
  const reminder = await tx
    .insertInto("premium_reminders")
    .values({
      policy_id: policy.id,
      notice_kind: product.premiumDefault.notice,
      due_date: input.dueDate,
      reminder_date: input.reminderDate,
      amount_cents: input.amount ?? null,
      settled_on: null,
      invoice_period_start: input.invoicePeriodStart ?? null,
      adjustment_id: input.adjustmentId ?? null,
      created_at: ctx.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const suspensions = await refreshSuspensions(tx, ctx, policy.id, product.premiumDefault.suspendAfterDays);
  await recordAudit(tx, ctx, {
    action: "premium.reminder_recorded",
    entityType: "policy",
    entityId: policy.id,
    policyId: policy.id,
    after: { reminder, suspensions },
  });
  return { reminder, suspensions };
}

/**
 * Overdue premium received: settles every open reminder due by then (or, with `invoicePeriodStart`
 * or `adjustmentId`, only the reminder of that invoice or charge, so paying one of two unpaid
 * invoices doesn't revive cover);
 * cover resumes the next day.
 */
export async function recordPremiumPayment(
  tx: Tx,
  ctx: Ctx,
  input: {
    policyId: string;
    receivedOn: IsoDate;
    amount?: Cents | null;
    reference?: string | null;
    invoicePeriodStart?: IsoDate | null;
    /** Settles only the reminder of this charge (see recordPremiumReminder). */
    adjustmentId?: number | null;
  },
) {
  const { policy, product } = await loadPolicy(tx, ctx, input.policyId, { forUpdate: true });
  const payment = await tx
    .insertInto("premium_payments")
    .values({
      policy_id: policy.id,
      received_on: input.receivedOn,
      amount_cents: input.amount ?? null,
      reference: input.reference ?? null,
      created_at: ctx.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  let settle = tx
    .updateTable("premium_reminders")
    .set({ settled_on: input.receivedOn })
    .where("policy_id", "=", policy.id)
    .where("settled_on", "is", null)
    .where("due_date", "<=", input.receivedOn);
  if (input.invoicePeriodStart) settle = settle.where("invoice_period_start", "=", input.invoicePeriodStart);
  if (input.adjustmentId) settle = settle.where("adjustment_id", "=", input.adjustmentId);
  const settled = await settle.returning("id").execute();
  const suspensions = await refreshSuspensions(tx, ctx, policy.id, product.premiumDefault.suspendAfterDays);
  await recordAudit(tx, ctx, {
    action: "premium.payment_recorded",
    entityType: "policy",
    entityId: policy.id,
    policyId: policy.id,
    after: { payment, settledReminders: settled.map((s) => s.id), suspensions },
  });
  return { payment, settledReminders: settled.length, suspensions };
}
