import { z } from "zod";
import { maskIban } from "../../billing/index.ts";
import type { Tx } from "../../db/schema.ts";
import { coverOn, holderAndMandate, householdOn, type LoadedPolicy } from "../../policies/index.ts";
import { quote } from "../../products/index.ts";
import { LANGUAGES } from "../../shared/i18n/index.ts";
import { formatAmount } from "../../shared/money.ts";
import { household, isoDate, money, paymentFrequency, paymentMethod } from "../schemas.ts";

export const mandateView = z
  .object({
    reference: z.string(),
    accountHolder: z.string(),
    iban: z.string().describe("masked: only the country, check digits and last four characters"),
    bic: z.string().nullable(),
    signedOn: isoDate,
  })
  .meta({ id: "SepaMandate" });

export const policyView = z
  .object({
    id: z.string(),
    number: z.string(),
    productCode: z.string(),
    productVersion: z.number().int(),
    holder: z.object({
      partyId: z.string(),
      name: z.string(),
      language: z.enum(LANGUAGES).describe("what letters and explanations are written in"),
    }),
    status: z.enum(["pending", "in_force", "suspended", "ended"]),
    household: household.describe("the household in force today"),
    householdChanges: z.array(z.object({ effectiveDate: isoDate, household })),
    startDate: isoDate,
    endDate: isoDate.nullable(),
    endReason: z.enum(["cancelled", "terminated"]).nullable(),
    paymentFrequency,
    paymentMethod,
    premium: z.object({ installment: money, installments: z.number().int(), annualTotal: money }),
    mandate: mandateView.nullable(),
    cancellation: z.object({ requestedOn: isoDate, refund: money }).nullable(),
  })
  .meta({ id: "Policy" });
export type PolicyView = z.output<typeof policyView>;

interface MandateRow {
  reference: string;
  account_holder: string;
  iban: string;
  bic: string | null;
  signed_on: string;
}

/** What a policy's view needs beside its terms: the holder's name and the mandate in force. */
export interface PolicyExtras {
  holderName: string;
  mandate: MandateRow | null;
}

/** The API's picture of a policy on `date`: status, household and premium as of that day. */
export async function viewPolicy(tx: Tx, loaded: LoadedPolicy, date: string): Promise<PolicyView> {
  return policyOf(loaded, await holderAndMandate(tx, loaded.policy), date);
}

/** The view from what is loaded already: no queries (a page of policies loads them together). */
export function policyOf(loaded: LoadedPolicy, extras: PolicyExtras, date: string): PolicyView {
  const { policy, product, terms } = loaded;
  const { mandate } = extras;
  const cover = coverOn(terms, date);
  const current = householdOn(terms, date);
  const q = quote(product, {
    household: current,
    paymentFrequency: policy.payment_frequency,
    paymentMethod: policy.payment_method,
  });
  return {
    id: policy.id,
    number: policy.number,
    productCode: policy.product_code,
    productVersion: policy.product_version,
    holder: { partyId: policy.party_id, name: extras.holderName, language: loaded.language },
    status:
      cover.status === "not_in_force" ? (cover.why === "before_start" ? "pending" : "ended") : cover.status,
    household: current,
    householdChanges: terms.endorsements.map((e) => ({
      effectiveDate: e.effectiveDate,
      household: e.household,
    })),
    startDate: policy.start_date,
    endDate: policy.end_date,
    endReason: policy.end_reason,
    paymentFrequency: policy.payment_frequency,
    paymentMethod: policy.payment_method,
    premium: {
      installment: formatAmount(q.installment),
      installments: q.installments,
      annualTotal: formatAmount(q.annualTotal),
    },
    mandate: mandate
      ? {
          reference: mandate.reference,
          accountHolder: mandate.account_holder,
          iban: maskIban(mandate.iban),
          bic: mandate.bic,
          signedOn: mandate.signed_on,
        }
      : null,
    cancellation:
      policy.cancel_requested_on !== null
        ? {
            requestedOn: policy.cancel_requested_on,
            refund: formatAmount(Number(policy.cancel_refund_cents ?? 0)),
          }
        : null,
  };
}
