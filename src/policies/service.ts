import { sql } from "kysely";
import { recordAudit } from "../audit/service.ts";
import { reconcilePolicyBilling } from "../billing/adjustments.ts";
import type { Tx } from "../db/schema.ts";
import { checkTerms } from "../products/quote.ts";
import type { HouseholdType, PaymentFrequency, PaymentMethod } from "../products/schema.ts";
import type { Ctx } from "../shared/context.ts";
import { compareDates, dateIn, type IsoDate } from "../shared/dates.ts";
import { AppError, ValidationError } from "../shared/errors.ts";
import { uuidv7 } from "../shared/ids.ts";
import type { Cents } from "../shared/money.ts";
import { cancellationTerms, proRataRefund } from "./cancellation.ts";
import { paidForPeriod } from "./premium.ts";
import { loadPolicy, touchPolicy } from "./repository.ts";
import { suspensionPeriods } from "./suspension.ts";

export interface PartyInput {
  name: string;
  email?: string | null;
  phone?: string | null;
  birthDate?: IsoDate | null;
  country?: string | null;
}

export interface BindPolicyInput {
  productCode: string;
  productVersion?: number;
  party: PartyInput | { partyId: string };
  household: HouseholdType;
  startDate: IsoDate;
  paymentFrequency: PaymentFrequency;
  paymentMethod: PaymentMethod;
}

export async function bindPolicy(tx: Tx, ctx: Ctx, input: BindPolicyInput) {
  const product = ctx.catalog.get(input.productCode, input.productVersion);
  checkTerms(product, input);
  let partyId: string;
  if ("partyId" in input.party) {
    partyId = input.party.partyId;
  } else {
    const party = await tx
      .insertInto("parties")
      .values({
        name: input.party.name,
        email: input.party.email ?? null,
        phone: input.party.phone ?? null,
        birth_date: input.party.birthDate ?? null,
        country: input.party.country ?? product.country,
        created_at: ctx.now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    partyId = party.id;
  }
  const { seq } = await sql<{ seq: number }>`select nextval('policy_number_seq') as seq`
    .execute(tx)
    .then((r) => r.rows[0]!);
  const policy = await tx
    .insertInto("policies")
    .values({
      // Time-ordered, so billing chunks (policy id ranges) read contiguous pages.
      id: uuidv7(),
      number: `${product.country}-P${String(seq).padStart(8, "0")}`,
      party_id: partyId,
      product_code: product.code,
      product_version: product.version,
      household: input.household,
      start_date: input.startDate,
      payment_frequency: input.paymentFrequency,
      payment_method: input.paymentMethod,
      end_date: null,
      end_reason: null,
      cancel_requested_on: null,
      cancel_refund_cents: null,
      created_at: ctx.now,
      updated_at: ctx.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(tx, ctx, {
    action: "policy.bound",
    entityType: "policy",
    entityId: policy.id,
    policyId: policy.id,
    after: policy,
  });
  return policy;
}

function assertActiveOn(end: IsoDate | null, date: IsoDate, field: string) {
  if (end !== null && compareDates(date, end) >= 0) {
    throw new AppError("policy_not_active", `the policy ended on ${end}`, [
      { path: field, message: `on or after the policy's end ${end}` },
    ]);
  }
}

/** Household endorsement: the new household's limits and premium apply from `effectiveDate`. */
export async function changeHousehold(
  tx: Tx,
  ctx: Ctx,
  input: { policyId: string; effectiveDate: IsoDate; household: HouseholdType },
) {
  const loaded = await loadPolicy(tx, ctx, input.policyId, { forUpdate: true });
  const { policy, product } = loaded;
  if (!product.households.includes(input.household)) {
    throw new AppError(
      "household_not_offered",
      `${product.code} is not offered for household ${input.household}`,
      [{ path: "household", message: `not offered by ${product.code}` }],
    );
  }
  if (compareDates(input.effectiveDate, policy.start_date) < 0) {
    throw new ValidationError(
      [{ path: "effectiveDate", message: `lies before the policy start ${policy.start_date}` }],
      "dates_out_of_order",
    );
  }
  assertActiveOn(policy.end_date, input.effectiveDate, "effectiveDate");
  const endorsement = await tx
    .insertInto("policy_endorsements")
    .values({
      policy_id: policy.id,
      kind: "household",
      effective_date: input.effectiveDate,
      household: input.household,
      created_at: ctx.now,
    })
    .onConflict((oc) =>
      oc
        .columns(["policy_id", "kind", "effective_date"])
        .doUpdateSet({ household: input.household, created_at: ctx.now }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
  await touchPolicy(tx, ctx, policy);
  // Invoiced periods are corrected pro rata at once (charge or credit), not at the next billing run.
  await reconcilePolicyBilling(tx, ctx, policy.id, dateIn(ctx.now, product.timeZone));
  await recordAudit(tx, ctx, {
    action: "policy.household_changed",
    entityType: "policy",
    entityId: policy.id,
    policyId: policy.id,
    before: { household: loaded.terms.endorsements.at(-1)?.household ?? policy.household },
    after: endorsement,
  });
  return endorsement;
}

export interface CancelResult {
  effective: IsoDate;
  refund: Cents;
  period: { start: IsoDate; end: IsoDate };
  paidForPeriod: Cents;
  unusedDays: number;
  periodDays: number;
}

/** Cancellation by the policyholder: effective on the requested date, never before the request arrived. */
export async function cancelPolicy(
  tx: Tx,
  ctx: Ctx,
  input: { policyId: string; requestedOn: IsoDate; effective: IsoDate },
): Promise<CancelResult> {
  const loaded = await loadPolicy(tx, ctx, input.policyId, { forUpdate: true });
  const { policy, product } = loaded;
  if (policy.end_date !== null) {
    throw new AppError("policy_not_active", `policy ${policy.number} already ended on ${policy.end_date}`);
  }
  const terms = cancellationTerms({
    startDate: policy.start_date,
    leapDay: product.leapDayAnniversary,
    installments: product.paymentFrequencies[policy.payment_frequency as PaymentFrequency]!.installments,
    requestedOn: input.requestedOn,
    requestedEffective: input.effective,
    notBeforeRequest: product.cancellation.notBeforeRequest,
  });
  const paid = await paidForPeriod(tx, loaded, terms.period);
  const refund = proRataRefund(paid, terms);
  await touchPolicy(tx, ctx, policy, {
    end_date: terms.effective,
    end_reason: "cancelled",
    cancel_requested_on: input.requestedOn,
    cancel_refund_cents: refund,
  });
  await reconcilePolicyBilling(tx, ctx, policy.id, dateIn(ctx.now, product.timeZone));
  const result = {
    effective: terms.effective,
    refund,
    period: terms.period,
    paidForPeriod: paid,
    unusedDays: terms.unusedDays,
    periodDays: terms.periodDays,
  };
  await recordAudit(tx, ctx, {
    action: "policy.cancelled",
    entityType: "policy",
    entityId: policy.id,
    policyId: policy.id,
    before: { end_date: null },
    after: result,
  });
  return result;
}

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
 * Overdue premium received: settles every open reminder due by then (or, with `invoicePeriodStart`,
 * only the reminder of that invoice, so paying one of two unpaid invoices doesn't revive cover);
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
