import { z } from "zod";
import { caseDetails, loadCase, moveRemoval, requestRemoval } from "../../assistance/index.ts";
import { convertCaseToClaim, perilChoices } from "../../flows/case-to-claim.ts";
import { giveRansomConsent } from "../../flows/ransom-consent.ts";
import type { Role } from "../../identity/index.ts";
import { dateIn } from "../../shared/dates.ts";
import { parseAmount } from "../../shared/money.ts";
import { visibleCase, visibleRemoval } from "../access.ts";
import { askedLanguage } from "../language.ts";
import type { Router } from "../router.ts";
import { dateInput, idParams, moneyInput } from "../schemas.ts";
import { caseView, removalView, viewCase, viewRemoval } from "../views/case.ts";
import { claimView, viewClaim } from "../views/claim.ts";
import { factsInput } from "./claims.ts";

/** Who works the helpline queue; finance and claims handlers have no business in it. */
export const HELPLINE: readonly Role[] = ["helpline_agent", "helpline_supervisor", "admin"];
const text = z.string().trim().min(1).max(4000);

/** What the helpline does beyond talking: takedown notices, ransom consent, and a case's claim. */
export function registerCaseActionRoutes(r: Router) {
  r.route({
    method: "POST",
    url: "/cases/:id/content-removals",
    summary:
      "Register content to be taken down; the DSA Art. 16 notice is written in the policyholder's language",
    tags: ["helpline"],
    roles: HELPLINE,
    idempotent: true,
    status: 201,
    params: idParams,
    body: z
      .object({
        platform: z.string().trim().min(1).max(200),
        url: z.string().min(1).max(2000),
        contentType: z.string().min(1).max(32),
        ground: z.string().min(1).max(32),
        explanation: text,
        language: z.enum(["nl", "fr", "en"]).optional(),
      })
      .strict(),
    response: removalView,
    handler: async ({ tx, ctx, principal, params, body }) => {
      await visibleCase(tx, principal, params.id);
      return viewRemoval(await requestRemoval(tx, ctx, { caseId: params.id, ...body }));
    },
  });

  r.route({
    method: "POST",
    url: "/content-removals/:id/status",
    summary: "Record that the notice went out, or the platform's answer (removed, refused)",
    tags: ["helpline"],
    roles: HELPLINE,
    params: idParams,
    body: z.object({ status: z.enum(["notice_sent", "removed", "refused"]) }).strict(),
    response: removalView,
    handler: async ({ tx, ctx, principal, params, body }) => {
      await visibleRemoval(tx, principal, params.id);
      return viewRemoval(await moveRemoval(tx, ctx, { removalId: params.id, to: body.status }));
    },
  });

  r.route({
    method: "POST",
    url: "/cases/:id/ransom-consents",
    summary: "Give prior consent to pay a ransom, up to a maximum within what remains of the limit",
    tags: ["helpline"],
    roles: ["helpline_supervisor", "admin"],
    idempotent: true,
    status: 201,
    params: idParams,
    body: z.object({ maxAmount: moneyInput }).strict(),
    response: caseView,
    handler: async ({ tx, ctx, principal, params, body }) => {
      await visibleCase(tx, principal, params.id);
      await giveRansomConsent(tx, ctx, {
        caseId: params.id,
        maxCents: parseAmount(body.maxAmount, "maxAmount"),
        givenByName: principal.displayName,
      });
      return viewCase(tx, ctx, params.id);
    },
  });

  r.route({
    method: "POST",
    url: "/cases/:id/claim",
    summary: "Turn a case into a claim (peril from the category, or as chosen); the two are linked both ways",
    tags: ["helpline"],
    roles: ["claims_handler", "admin"],
    idempotent: true,
    status: 201,
    params: idParams,
    body: z
      .object({
        peril: z.string().min(1).max(64).optional(),
        incidentDate: dateInput.optional(),
        losses: z
          .array(
            z
              .object({ kind: z.string().min(1).max(64), amount: moneyInput, paidOn: dateInput.optional() })
              .strict(),
          )
          .min(1)
          .max(20),
        facts: factsInput.default({}),
      })
      .strict(),
    response: claimView,
    handler: async ({ tx, ctx, principal, params, body, request }) => {
      await visibleCase(tx, principal, params.id);
      const { claim } = await convertCaseToClaim(tx, ctx, {
        caseId: params.id,
        peril: body.peril,
        incidentDate: body.incidentDate,
        losses: body.losses.map((l, i) => ({
          kind: l.kind,
          amount: parseAmount(l.amount, `losses.${i}.amount`),
          paidOn: l.paidOn ?? null,
        })),
        facts: body.facts,
      });
      return viewClaim(tx, ctx, claim.id, askedLanguage(request));
    },
  });

  r.route({
    method: "GET",
    url: "/cases/:id/claim-draft",
    summary:
      "What a claim from this case is prefilled with: the perils its category allows, the contact date, the notes",
    tags: ["helpline"],
    roles: ["claims_handler", "admin"],
    params: idParams,
    response: z.object({
      perils: z.array(z.string()).nullable(),
      incidentDate: z.string(),
      notes: z.array(z.string()),
      claimId: z.string().nullable(),
    }),
    handler: async ({ tx, ctx, principal, params }) => {
      await visibleCase(tx, principal, params.id);
      const { row, loaded, terms } = await loadCase(tx, ctx, params.id);
      const { notes } = await caseDetails(tx, params.id);
      return {
        perils: perilChoices(terms.claimPerils, row.category),
        incidentDate: dateIn(row.opened_at, loaded.product.timeZone),
        notes: notes.map((n) => n.body),
        claimId: row.claim_id,
      };
    },
  });
}
