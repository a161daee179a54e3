import { isValidBIC } from "ibantools";
import { z } from "zod";
import { assertMandate, registerMandate } from "../../billing/index.ts";
import { ALL_ROLES, isStaff, type Principal, type Role } from "../../identity/index.ts";
import { partyExists } from "../../parties/index.ts";
import {
  bindPolicy,
  checkStartDate,
  listPolicies,
  loadedPolicyOf,
  loadPolicy,
  type PartyInput,
} from "../../policies/index.ts";
import { ValidationError } from "../../shared/errors.ts";
import { LANGUAGES } from "../../shared/i18n/index.ts";
import { today, visiblePolicy } from "../access.ts";
import type { Router } from "../router.ts";
import {
  dateInput,
  household,
  idParams,
  pageQuery,
  paymentFrequency,
  paymentMethod,
  uuid,
} from "../schemas.ts";
import { policyOf, policyView, viewPolicy } from "../views/policy.ts";
import { policyTimeline, timelineEntry } from "../views/timeline.ts";

/** Who may act on a policy: the policyholder and front-office staff; finance and claims only read. */
export const POLICY_WRITERS: readonly Role[] = ["policyholder", "helpline_agent", "admin"];

export const mandateInput = z
  .object({
    accountHolder: z.string().trim().min(1).max(70),
    iban: z.string().min(15).max(42).describe("checked with ibantools (country, length, check digits)"),
    bic: z
      .string()
      .refine((b) => isValidBIC(b.replace(/\s+/g, "").toUpperCase()), "is not a valid BIC")
      .optional(),
    signedOn: dateInput,
    consentText: z
      .string()
      .trim()
      .min(20)
      .max(4000)
      .describe("the mandate text the account holder agreed to"),
  })
  .strict();

const partyInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    email: z.email().max(254).optional(),
    phone: z.string().max(40).optional(),
    birthDate: dateInput.optional(),
    country: z.enum(["NL", "BE"]).optional(),
  })
  .strict();

const applyBody = z
  .object({
    product: z.string().min(1).max(64),
    productVersion: z.number().int().min(1).optional(),
    household,
    startDate: dateInput,
    paymentFrequency,
    paymentMethod,
    mandate: mandateInput.optional().describe("required when paying by sepa_direct_debit"),
    party: partyInput.optional().describe("staff only: the new policyholder"),
    partyId: uuid.optional().describe("staff only: an existing policyholder"),
    language: z
      .enum(LANGUAGES)
      .optional()
      .describe(
        "the policyholder's language for letters and explanations, one of the product's `languages.offered`; default: the policyholder's current one, or the product's default for a new policyholder",
      ),
  })
  .strict();

function partyFor(principal: Principal, body: z.output<typeof applyBody>): PartyInput | { partyId: string } {
  if (!isStaff(principal.role)) {
    if (body.party || body.partyId) {
      throw new ValidationError([
        { path: body.party ? "party" : "partyId", message: "you apply for your own household" },
      ]);
    }
    return { partyId: principal.partyId! };
  }
  if (body.party && body.partyId)
    throw new ValidationError([{ path: "partyId", message: "give party or partyId, not both" }]);
  if (body.partyId) return { partyId: body.partyId };
  if (body.party) return body.party;
  throw new ValidationError([
    { path: "party", message: "staff apply on behalf of a party: give party or partyId" },
  ]);
}

export function registerPolicyRoutes(r: Router) {
  r.route({
    method: "POST",
    url: "/policies",
    summary: "Apply for a policy and bind it (with the SEPA mandate when paying by direct debit)",
    tags: ["policies"],
    roles: POLICY_WRITERS,
    idempotent: true,
    status: 201,
    body: applyBody,
    response: policyView,
    handler: async ({ tx, ctx, principal, body }) => {
      const product = ctx.catalog.get(body.product, body.productVersion);
      const direct = body.paymentMethod === "sepa_direct_debit";
      if (direct && !body.mandate)
        throw new ValidationError([{ path: "mandate", message: "is required for sepa_direct_debit" }]);
      if (!direct && body.mandate)
        throw new ValidationError([{ path: "mandate", message: "only with sepa_direct_debit" }]);
      const date = today(ctx, product.timeZone);
      // Before anything is bound: whatever the bank file can't carry, signed no later than today.
      if (body.mandate) assertMandate(body.mandate, date, "mandate.");
      checkStartDate(product, body.startDate, date, isStaff(principal.role));
      const party = partyFor(principal, body);
      if ("partyId" in party) {
        if (!(await partyExists(tx, party.partyId)))
          throw new ValidationError([{ path: "partyId", message: "no such party" }]);
      }
      const policy = await bindPolicy(tx, ctx, {
        productCode: product.code,
        productVersion: product.version,
        party,
        household: body.household,
        startDate: body.startDate,
        paymentFrequency: body.paymentFrequency,
        paymentMethod: body.paymentMethod,
        ...(body.language ? { language: body.language } : {}),
      });
      if (body.mandate) await registerMandate(tx, ctx, { policyId: policy.id, ...body.mandate });
      return viewPolicy(tx, await loadPolicy(tx, ctx, policy.id), date);
    },
  });

  r.route({
    method: "GET",
    url: "/policies",
    summary: "Policies: a policyholder's own, or for staff every policy (filter by number or party)",
    tags: ["policies"],
    roles: ALL_ROLES,
    query: pageQuery.extend({ number: z.string().max(40).optional(), partyId: uuid.optional() }).strict(),
    response: z.object({ items: z.array(policyView), total: z.number().int() }),
    handler: async ({ tx, ctx, principal, query }) => {
      // Two queries whatever the page size: the page (terms, holder and mandate along) and the count.
      const { rows, total } = await listPolicies(
        tx,
        {
          ...(isStaff(principal.role) ? {} : { partyId: principal.partyId! }),
          ...(query.number ? { number: query.number } : {}),
          ...(query.partyId ? { holderPartyId: query.partyId } : {}),
        },
        query,
      );
      const items = rows.map(({ holder_name, mandate_json, ...row }) => {
        const loaded = loadedPolicyOf(ctx, row);
        const extras = { holderName: holder_name, mandate: mandate_json };
        return policyOf(loaded, extras, today(ctx, loaded.product.timeZone));
      });
      return { items, total };
    },
  });

  r.route({
    method: "GET",
    url: "/policies/:id",
    summary: "One policy",
    tags: ["policies"],
    roles: ALL_ROLES,
    params: idParams,
    response: policyView,
    handler: async ({ tx, ctx, principal, params }) => {
      const loaded = await visiblePolicy(tx, ctx, principal, params.id);
      return viewPolicy(tx, loaded, today(ctx, loaded.product.timeZone));
    },
  });

  r.route({
    method: "GET",
    url: "/policies/:id/timeline",
    summary: "What happened to a policy, oldest first: binding, mandate, changes, claims, premium notices",
    tags: ["policies"],
    roles: ALL_ROLES,
    params: idParams,
    response: z.object({ items: z.array(timelineEntry) }),
    handler: async ({ tx, ctx, principal, params }) => {
      await visiblePolicy(tx, ctx, principal, params.id);
      return { items: await policyTimeline(tx, principal, params.id) };
    },
  });
}
