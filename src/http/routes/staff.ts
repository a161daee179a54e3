import { z } from "zod";
import { auditTrail } from "../../audit/index.ts";
import {
  claimsConfig,
  claimsQueue,
  referClaim,
  requestOverride,
  reviewOverride,
} from "../../claims/index.ts";
import { type Role, STAFF_ROLES } from "../../identity/index.ts";
import { policyExists } from "../../policies/index.ts";
import { NotFoundError } from "../../shared/errors.ts";
import { formatAmount, parseAmount } from "../../shared/money.ts";
import { visibleClaim } from "../access.ts";
import { askedLanguage } from "../language.ts";
import type { Router } from "../router.ts";
import { idParams, isoDate, money, moneyInput, pageQuery, uuid } from "../schemas.ts";
import { claimStatus, claimView, viewClaim } from "../views/claim.ts";

/** Who works the queue; finance has no business in open claims. */
const QUEUE_ROLES: readonly Role[] = ["helpline_agent", "claims_handler", "admin"];
/** Who may change a decision: only those trained to decide claims. */
const HANDLERS: readonly Role[] = ["claims_handler", "admin"];

const queueItem = z.object({
  claimId: uuid,
  number: z.string(),
  policyId: uuid,
  policyNumber: z.string(),
  peril: z.string(),
  status: claimStatus,
  incidentDate: isoDate,
  reportedDate: isoDate,
  payout: money,
  missing: z.array(z.string()),
  waitingSince: z.string(),
  pendingOverride: z.object({ id: uuid, payout: money, requestedBy: z.string() }).nullable(),
});

const overrideView = z
  .object({
    id: uuid,
    claimId: uuid,
    outcome: z.enum(["approved", "denied"]),
    payout: money,
    reason: z.string(),
    status: z.enum(["pending", "applied", "rejected"]),
    requestedBy: z.string(),
    reviewedBy: z.string().nullable(),
    decisionSequence: z.number().int().nullable(),
    exGratia: z.boolean(),
  })
  .meta({ id: "ClaimOverride" });

type OverrideRow = Awaited<ReturnType<typeof requestOverride>>["override"];
const viewOverride = (o: OverrideRow): z.infer<typeof overrideView> => ({
  id: o.id,
  claimId: o.claim_id,
  outcome: o.outcome,
  payout: formatAmount(o.payout_cents),
  reason: o.reason_text,
  status: o.status,
  requestedBy: o.requested_by,
  reviewedBy: o.reviewed_by,
  decisionSequence: o.decision_sequence,
  exGratia: o.ex_gratia,
});

const auditEntry = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string(),
  policyId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  requestId: z.string().nullable(),
});

function viewAudit(rows: Awaited<ReturnType<typeof auditTrail>>) {
  return rows.map((a) => ({
    id: Number(a.id),
    at: new Date(a.at).toISOString(),
    actor: a.actor,
    action: a.action,
    entityType: a.entity_type,
    entityId: a.entity_id,
    policyId: a.policy_id,
    before: a.before,
    after: a.after,
    requestId: a.request_id,
  }));
}

export function registerStaffRoutes(r: Router) {
  const config = claimsConfig(r.deps.config.claims);

  r.route({
    method: "GET",
    url: "/staff/claims/queue",
    summary: "Claims to act on, oldest first: needs_information, referred, or an override awaiting approval",
    tags: ["staff"],
    roles: QUEUE_ROLES,
    query: pageQuery
      .extend({ reason: z.enum(["needs_information", "referred", "override_pending"]).optional() })
      .strict(),
    response: z.object({ items: z.array(queueItem), total: z.number().int() }),
    handler: async ({ tx, query }) => {
      const { rows, total } = await claimsQueue(tx, query);
      const items = rows.map((c) => ({
        claimId: c.id,
        number: c.number,
        policyId: c.policy_id,
        policyNumber: c.policy_number,
        peril: c.peril,
        status: c.status,
        incidentDate: c.incident_date,
        reportedDate: c.reported_date,
        payout: formatAmount(c.payout_cents),
        missing: c.missing ?? [],
        waitingSince: new Date(c.updated_at).toISOString(),
        pendingOverride:
          c.pending_override_id === null
            ? null
            : {
                id: c.pending_override_id,
                payout: formatAmount(c.pending_payout_cents ?? 0),
                requestedBy: c.pending_requested_by ?? "",
              },
      }));
      return { items, total };
    },
  });

  r.route({
    method: "POST",
    url: "/staff/claims/:id/referral",
    summary: "Refer a claim to a claims handler, with the reason",
    tags: ["staff"],
    roles: QUEUE_ROLES,
    idempotent: true,
    params: idParams,
    body: z.object({ reason: z.string().trim().min(5).max(2000) }).strict(),
    response: claimView,
    handler: async ({ tx, ctx, principal, params, body, request }) => {
      await visibleClaim(tx, principal, params.id);
      await referClaim(tx, ctx, { claimId: params.id, reason: body.reason });
      return viewClaim(tx, ctx, params.id, askedLanguage(request));
    },
  });

  r.route({
    method: "POST",
    url: "/staff/claims/:id/overrides",
    summary: `Override a claim's decision with a reason. Payouts above ${formatAmount(config.fourEyesAboveCents)} wait for a second handler's approval; the section's annual limit is never exceeded`,
    tags: ["staff"],
    roles: HANDLERS,
    idempotent: true,
    status: 201,
    params: idParams,
    body: z
      .object({
        outcome: z.enum(["approved", "denied"]),
        payout: moneyInput.describe("what the claim pays in all; 0.00 for a denial"),
        reason: z
          .string()
          .trim()
          .min(10)
          .max(4000)
          .describe("why; shown to the policyholder in the explanation"),
        exGratia: z
          .boolean()
          .optional()
          .describe(
            "pay beyond the cover (loss minus deductible, per-event and annual limit) as a goodwill payment; an admin approves it",
          ),
      })
      .strict(),
    response: z.object({ override: overrideView, claim: claimView }),
    handler: async ({ tx, ctx, params, body, request }) => {
      const payout = parseAmount(body.payout, "payout");
      const { override } = await requestOverride(
        tx,
        ctx,
        {
          claimId: params.id,
          outcome: body.outcome,
          payout,
          reason: body.reason,
          exGratia: body.exGratia === true,
        },
        config.fourEyesAboveCents,
      );
      return {
        override: viewOverride(override),
        claim: await viewClaim(tx, ctx, params.id, askedLanguage(request)),
      };
    },
  });

  r.route({
    method: "POST",
    url: "/staff/overrides/:id/review",
    summary: "Approve or reject a pending override (four eyes: not by the handler who asked for it)",
    tags: ["staff"],
    roles: HANDLERS,
    idempotent: true,
    params: idParams,
    body: z.object({ approve: z.boolean(), note: z.string().trim().max(2000).optional() }).strict(),
    response: z.object({ override: overrideView, claim: claimView }),
    handler: async ({ tx, ctx, params, body, request, principal }) => {
      const { override } = await reviewOverride(tx, ctx, {
        overrideId: params.id,
        approve: body.approve,
        note: body.note ?? null,
        reviewerIsAdmin: principal.role === "admin",
      });
      return {
        override: viewOverride(override),
        claim: await viewClaim(tx, ctx, override.claim_id, askedLanguage(request)),
      };
    },
  });

  r.route({
    method: "GET",
    url: "/staff/claims/:id/audit",
    summary: "Everything recorded about a claim, oldest first",
    tags: ["staff"],
    roles: STAFF_ROLES,
    params: idParams,
    response: z.object({ items: z.array(auditEntry) }),
    handler: async ({ tx, principal, params }) => {
      await visibleClaim(tx, principal, params.id);
      return { items: viewAudit(await auditTrail(tx, { entityType: "claim", entityId: params.id })) };
    },
  });

  r.route({
    method: "GET",
    url: "/staff/policies/:id/audit",
    summary: "Everything recorded about a policy and its claims, oldest first",
    tags: ["staff"],
    roles: STAFF_ROLES,
    params: idParams,
    response: z.object({ items: z.array(auditEntry) }),
    handler: async ({ tx, params }) => {
      if (!(await policyExists(tx, params.id))) throw new NotFoundError("policy", params.id);
      return { items: viewAudit(await auditTrail(tx, { policyId: params.id })) };
    },
  });
}
