import { z } from "zod";
import { fileClaim, supplyClaimFacts } from "../../claims/service.ts";
import { ALL_ROLES, isStaff, type Role } from "../../identity/roles.ts";
import { loadPolicy } from "../../policies/repository.ts";
import { NotFoundError } from "../../shared/errors.ts";
import { parseAmount } from "../../shared/money.ts";
import { canSeeParty, staffOnlyField, today, visibleClaim, visiblePolicy } from "../access.ts";
import type { Router } from "../router.ts";
import { dateInput, idParams, moneyInput, pageQuery, uuid } from "../schemas.ts";
import {
  claimStatus,
  claimView,
  decisionView,
  viewClaim,
  viewDecidedClaim,
  viewDecision,
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
      .array(z.object({ kind: z.string().min(1).max(64), amount: moneyInput }).strict())
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
    handler: async ({ tx, ctx, principal, body }) => {
      staffOnlyField(principal, "reportedDate", body.reportedDate);
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
          })),
          facts: body.facts,
        },
        { loaded },
      );
      return viewDecidedClaim(claim, decision, reportedDate, ctx.now);
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
    handler: async ({ tx, principal, query }) => {
      let q = tx.selectFrom("claims").innerJoin("policies", "policies.id", "claims.policy_id");
      if (!isStaff(principal.role)) q = q.where("policies.party_id", "=", principal.partyId!);
      if (query.policyId) q = q.where("claims.policy_id", "=", query.policyId);
      if (query.status) q = q.where("claims.status", "=", query.status);
      const [ids, total] = await Promise.all([
        q
          .select("claims.id")
          .orderBy("claims.created_at", "desc")
          .orderBy("claims.id")
          .limit(query.limit)
          .offset(query.offset)
          .execute(),
        q.select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow(),
      ]);
      const items = [];
      for (const { id } of ids) items.push(await viewClaim(tx, id));
      return { items, total: Number(total.n) };
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
    handler: async ({ tx, principal, params }) => {
      await visibleClaim(tx, principal, params.id);
      return viewClaim(tx, params.id);
    },
  });

  r.route({
    method: "GET",
    url: "/claims/:id/decision",
    summary: "The claim's current decision, explained step by step in Dutch and English",
    tags: ["claims"],
    roles: ALL_ROLES,
    params: idParams,
    response: z.object({ decision: decisionView.nullable(), history: z.array(decisionView) }),
    handler: async ({ tx, principal, params }) => {
      await visibleClaim(tx, principal, params.id);
      const claim = await viewClaim(tx, params.id);
      const sequences = await tx
        .selectFrom("claim_decisions")
        .select("sequence")
        .where("claim_id", "=", params.id)
        .orderBy("sequence")
        .execute();
      const history = [];
      for (const s of sequences) {
        const d = await viewDecision(tx, params.id, s.sequence);
        if (d) history.push(d);
      }
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
    handler: async ({ tx, ctx, principal, params, body }) => {
      staffOnlyField(principal, "date", body.date);
      const { policyId } = await visibleClaim(tx, principal, params.id);
      const loaded = await visiblePolicy(tx, ctx, principal, policyId);
      await supplyClaimFacts(tx, ctx, {
        claimId: params.id,
        facts: body.facts,
        date: body.date ?? today(ctx, loaded.product.timeZone),
      });
      return viewClaim(tx, params.id);
    },
  });
}
