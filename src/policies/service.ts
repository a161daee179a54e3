import { sql } from "kysely";
import { recordAudit } from "../audit/index.ts";
import type { Tx } from "../db/schema.ts";
import { insertParty, setPartyLanguage } from "../parties/index.ts";
import {
  checkTerms,
  type HouseholdType,
  type PaymentFrequency,
  type PaymentMethod,
} from "../products/index.ts";
import type { Ctx } from "../shared/context.ts";
import { compareDates, type IsoDate } from "../shared/dates.ts";
import { AppError, ValidationError } from "../shared/errors.ts";
import type { Language } from "../shared/i18n/index.ts";
import { uuidv7 } from "../shared/ids.ts";
import type { Cents } from "../shared/money.ts";
import { cancellationTerms, proRataRefund } from "./cancellation.ts";
import { paidForPeriod } from "./premium.ts";
import { loadPolicy, touchPolicy } from "./repository.ts";
import { checkStartWithinProduct } from "./start-date.ts";

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
  /** The policyholder's language; one the product offers. Unset: an existing party keeps theirs, a new one gets the product's default. */
  language?: Language;
}

/** Binds a policy for a new or existing party, storing the policyholder's language when given. */
export async function bindPolicy(tx: Tx, ctx: Ctx, input: BindPolicyInput) {
  const product = ctx.catalog.get(input.productCode, input.productVersion);
  checkTerms(product, input);
  if (input.language && !product.languages.offered.includes(input.language)) {
    throw new AppError(
      "language_not_offered",
      `${product.code} is written in ${product.languages.offered.join(", ")}, not ${input.language}`,
      [{ path: "language", message: `one of ${product.languages.offered.join(", ")}` }],
    );
  }
  checkStartWithinProduct(product, input.startDate);
  let partyId: string;
  if ("partyId" in input.party) {
    partyId = input.party.partyId;
    if (input.language) {
      await setPartyLanguage(tx, partyId, input.language);
    }
  } else {
    partyId = await insertParty(tx, ctx, {
      name: input.party.name,
      email: input.party.email ?? null,
      phone: input.party.phone ?? null,
      birthDate: input.party.birthDate ?? null,
      country: input.party.country ?? product.country,
      language: input.language ?? product.languages.default,
    });
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

/**
 * Household endorsement: the new household's limits and premium apply from `effectiveDate`.
 * Billing's correction of periods already invoiced is the caller's next step
 * (src/flows/change-household.ts).
 */
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

/** What billing recorded as paid for an invoiced period; null when the period has no invoice. */
export type InvoicedPaid = (tx: Tx, policyId: string, periodStart: IsoDate) => Promise<Cents | null>;

/**
 * Cancellation by the policyholder: effective on the requested date, never before the request
 * arrived. What was paid for the period comes from billing (`invoicedPaid`), and billing's
 * correction follows the cancellation (src/flows/cancel-policy.ts states the order).
 */
export async function cancelPolicy(
  tx: Tx,
  ctx: Ctx,
  input: { policyId: string; requestedOn: IsoDate; effective: IsoDate },
  invoicedPaid: InvoicedPaid,
): Promise<CancelResult> {
  const loaded = await loadPolicy(tx, ctx, input.policyId, { forUpdate: true });
  const { policy, product } = loaded;
  if (policy.end_date !== null) {
    throw new AppError("policy_not_active", `policy ${policy.number} already ended on ${policy.end_date}`);
  }
  const terms = cancellationTerms({
    startDate: policy.start_date,
    leapDay: product.leapDayAnniversary,
    installments: product.paymentFrequencies[policy.payment_frequency]!.installments,
    requestedOn: input.requestedOn,
    requestedEffective: input.effective,
    notBeforeRequest: product.cancellation.notBeforeRequest,
  });
  const paid = await paidForPeriod(tx, loaded, terms.period, invoicedPaid);
  const refund = proRataRefund(paid, terms);
  await touchPolicy(tx, ctx, policy, {
    end_date: terms.effective,
    end_reason: "cancelled",
    cancel_requested_on: input.requestedOn,
    cancel_refund_cents: refund,
  });
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
