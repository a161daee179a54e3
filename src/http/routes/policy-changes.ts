import { z } from "zod";
import { maskIban, normaliseIban, registerMandate } from "../../billing/index.ts";
import { cancelPolicyWithBilling } from "../../flows/cancel-policy.ts";
import { changeHouseholdWithBilling } from "../../flows/change-household.ts";
import { loadPolicy } from "../../policies/index.ts";
import { ValidationError } from "../../shared/errors.ts";
import { formatAmount } from "../../shared/money.ts";
import { staffOnlyField, today, visiblePolicy } from "../access.ts";
import type { Router } from "../router.ts";
import { dateInput, household, idParams, isoDate, money } from "../schemas.ts";
import { mandateView, policyView, viewPolicy } from "../views/policy.ts";
import { mandateInput, POLICY_WRITERS } from "./policies.ts";

export function registerPolicyChangeRoutes(r: Router) {
  r.route({
    method: "POST",
    url: "/policies/:id/household-changes",
    summary: "Change the household (single/family) from a date; limits and premium follow from then",
    tags: ["policies"],
    roles: POLICY_WRITERS,
    idempotent: true,
    status: 201,
    params: idParams,
    body: z.object({ household, effectiveDate: dateInput }).strict(),
    response: z.object({ policy: policyView, change: z.object({ effectiveDate: isoDate, household }) }),
    handler: async ({ tx, ctx, principal, params, body }) => {
      await visiblePolicy(tx, ctx, principal, params.id);
      const e = await changeHouseholdWithBilling(tx, ctx, { policyId: params.id, ...body });
      const loaded = await loadPolicy(tx, ctx, params.id);
      return {
        policy: await viewPolicy(tx, loaded, today(ctx, loaded.product.timeZone)),
        change: { effectiveDate: e.effective_date, household: body.household },
      };
    },
  });

  r.route({
    method: "POST",
    url: "/policies/:id/cancellation",
    summary:
      "Cancel a policy. It ends on the requested date but never before the request arrived; the unused part of the paid installment is refunded pro rata",
    tags: ["policies"],
    roles: POLICY_WRITERS,
    idempotent: true,
    params: idParams,
    body: z
      .object({
        effective: dateInput.describe("the first day without cover that the policyholder asks for"),
        requestedOn: dateInput.optional().describe("staff only: when the request arrived (default today)"),
      })
      .strict(),
    response: z.object({
      policy: policyView,
      cancellation: z.object({
        requestedOn: isoDate,
        effective: isoDate.describe("first day without cover"),
        refund: money,
        paidForPeriod: money,
        period: z.object({ start: isoDate, end: isoDate }),
        unusedDays: z.number().int(),
        periodDays: z.number().int(),
      }),
    }),
    handler: async ({ tx, ctx, principal, params, body }) => {
      staffOnlyField(principal, "requestedOn", body.requestedOn);
      const before = await visiblePolicy(tx, ctx, principal, params.id);
      const requestedOn = body.requestedOn ?? today(ctx, before.product.timeZone);
      const c = await cancelPolicyWithBilling(tx, ctx, {
        policyId: params.id,
        requestedOn,
        effective: body.effective,
      });
      const loaded = await loadPolicy(tx, ctx, params.id);
      return {
        policy: await viewPolicy(tx, loaded, today(ctx, loaded.product.timeZone)),
        cancellation: {
          requestedOn,
          effective: c.effective,
          refund: formatAmount(c.refund),
          paidForPeriod: formatAmount(c.paidForPeriod),
          period: c.period,
          unusedDays: c.unusedDays,
          periodDays: c.periodDays,
        },
      };
    },
  });

  r.route({
    method: "POST",
    url: "/policies/:id/mandate",
    summary: "Register a new SEPA mandate for a policy paid by direct debit (revokes the previous one)",
    tags: ["policies"],
    roles: POLICY_WRITERS,
    idempotent: true,
    status: 201,
    params: idParams,
    body: mandateInput,
    response: mandateView,
    handler: async ({ tx, ctx, principal, params, body }) => {
      const { policy } = await visiblePolicy(tx, ctx, principal, params.id);
      if (policy.payment_method !== "sepa_direct_debit") {
        throw new ValidationError([{ path: "policy", message: "this policy is not paid by direct debit" }]);
      }
      normaliseIban(body.iban, "iban");
      const m = await registerMandate(tx, ctx, { policyId: policy.id, ...body });
      return {
        reference: m.reference,
        accountHolder: m.account_holder,
        iban: maskIban(m.iban),
        bic: m.bic,
        signedOn: m.signed_on,
      };
    },
  });
}
