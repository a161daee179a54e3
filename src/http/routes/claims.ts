import { z } from "zod";
import { checkFactAuthor, fileClaim, listClaims, supplyClaimFacts } from "../../claims/index.ts";
import { ALL_ROLES, isStaff, type Role } from "../../identity/index.ts";
import { loadPolicy } from "../../policies/index.ts";
import { NotFoundError } from "../../shared/errors.ts";
import { parseAmount } from "../../shared/money.ts";
import { canSeeParty, staffOnlyField, today, visibleClaim, visiblePolicy } from "../access.ts";
import { askedLanguage } from "../language.ts";
import type { Router } from "../router.ts";
import { dateInput, idParams, moneyInput, pageQuery, uuid } from "../schemas.ts";
import {
  claimOf,
  claimStatus,
  claimView,
  decisionView,
  viewClaim,
  viewDecidedClaim,
  viewDecisions,
} from "../views/claim.ts";

/** Who may file and complete claims: the policyholder and staff who talk to them or handle claims. */
export const CLAIM_WRITERS: readonly Role[] = ["policyholder", "helpline_agent", "claims_handler", "admin"];

/** Fact names are identifiers (no "__proto__" tricks); values are flags, numbers or short texts. */
export const factsInput = z
  .record(
    z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, "fact names are identifiers such as policeReport"),
    z.union([z.boolean(), z.number(), z.string().max(500)]),
  )
  .refine((f) => Object.keys(f).length <= 50, "at most 50 facts")
  .describe("what the decision needs, e.g. policeReport, bankRefusalProof, ransomConsent (true/false)");

const fileBody = z
  .object({
    policyId: uuid,
    reference: z.string().trim().min(1).max(64).optional(),
    peril: z.string().min(1).max(64),
    incidentDate: dateInput,
    reportedDate: dateInput.optional().describe("staff only: when the claim was reported (default today)"),
    losses: z
      .array(
        z
          .object({
            kind: z.string().min(1).max(64),
            amount: moneyInput,
            paidOn: dateInput.optional().describe("a ransom line: the day it was paid"),
          })
          .strict(),
      )
      .min(1)
      .max(20),
    facts: factsInput.default({}),
  })
  .strict();

export function registerClaimRoutes(r: Router) {
  r.route({
    method: "POST",
    url: "/claims",
    summary:
      "File a claim; it is decided at once (approved, denied, or needs_information with what is missing)",
    tags: ["claims"],
    roles: CLAIM_WRITERS,
    idempotent: true,
    status: 201,
    body: fileBody,
    response: claimView,
    handler: async ({ tx, ctx, principal, body, request }) => {
      staffOnlyField(principal, "reportedDate", body.reportedDate);
      checkFactAuthor(principal.role, body.facts);
      // One query for ownership, time zone and everything fileClaim needs (it reuses it).
      const loaded = await loadPolicy(tx, ctx, body.policyId);
      if (!canSeeParty(principal, loaded.policy.party_id)) throw new NotFoundError("policy", body.policyId);
      const { product } = loaded;
      const reportedDate = body.reportedDate ?? today(ctx, product.timeZone);
      const { claim, decision } = await fileClaim(
        tx,
        ctx,
        {
          policyId: body.policyId,
          reference: body.reference ?? null,
          peril: body.peril,
          incidentDate: body.incidentDate,
          reportedDate,
          losses: body.losses.map((l, i) => ({
            kind: l.kind,
            amount: parseAmount(l.amount, `losses.${i}.amount`),
            paidOn: l.paidOn ?? null,
          })),
          facts: body.facts,
        },
        { loaded },
      );
      return viewDecidedClaim(claim, decision, {
        decidedOn: reportedDate,
        decidedAt: ctx.now,
        product,
        language: askedLanguage(request) ?? loaded.language,
      });
    },
  });

  r.route({
    method: "GET",
    url: "/claims",
    summary: "Claims: a policyholder's own, or for staff every claim (filter by policy or status)",
    tags: ["claims"],
    roles: ALL_ROLES,
    query: pageQuery.extend({ policyId: uuid.optional(), status: claimStatus.optional() }).strict(),
    response: z.object({ items: z.array(claimView), total: z.number().int() }),
    handler: async ({ tx, ctx, principal, query, request }) => {
      // The same filter on the page and the count: two queries, whatever the page size.
      const { rows, total } = await listClaims(
        tx,
        {
          partyId: isStaff(principal.role) ? null : principal.partyId!,
          ...(query.policyId ? { policyId: query.policyId } : {}),
          ...(query.status ? { status: query.status } : {}),
        },
        query,
      );
      const asked = askedLanguage(request);
      return { items: rows.map((row) => claimOf(ctx, row, asked)), total };
    },
  });

  r.route({
    method: "GET",
    url: "/claims/:id",
    summary: "One claim with its current decision",
    tags: ["claims"],
    roles: ALL_ROLES,
    params: idParams,
    response: claimView,
    handler: async ({ tx, ctx, principal, params, request }) => {
      await visibleClaim(tx, principal, params.id);
      return viewClaim(tx, ctx, params.id, askedLanguage(request));
    },
  });

  r.route({
    method: "GET",
    url: "/claims/:id/decision",
    summary:
      "The claim's current decision and its history, explained step by step in the reader's language (Accept-Language, else the policyholder's)",
    tags: ["claims"],
    roles: ALL_ROLES,
    params: idParams,
    response: z.object({ decision: decisionView.nullable(), history: z.array(decisionView) }),
    handler: async ({ tx, ctx, principal, params, request }) => {
      await visibleClaim(tx, principal, params.id);
      const asked = askedLanguage(request);
      const claim = await viewClaim(tx, ctx, params.id, asked);
      const history = await viewDecisions(tx, ctx, params.id, claim.decision?.language ?? asked);
      return { decision: claim.decision, history };
    },
  });

  r.route({
    method: "POST",
    url: "/claims/:id/facts",
    summary: "Supply what a claim that needs information is missing; it is decided again",
    tags: ["claims"],
    roles: CLAIM_WRITERS,
    idempotent: true,
    params: idParams,
    body: z
      .object({
        facts: factsInput,
        date: dateInput.optional().describe("staff only: when the facts arrived (default today)"),
      })
      .strict(),
    response: claimView,
    handler: async ({ tx, ctx, principal, params, body, request }) => {
      staffOnlyField(principal, "date", body.date);
      checkFactAuthor(principal.role, body.facts);
      const { policyId } = await visibleClaim(tx, principal, params.id);
      const loaded = await visiblePolicy(tx, ctx, principal, policyId);
      await supplyClaimFacts(tx, ctx, {
        claimId: params.id,
        facts: body.facts,
        date: body.date ?? today(ctx, loaded.product.timeZone),
      });
      return viewClaim(tx, ctx, params.id, askedLanguage(request));
    },
  });
}
