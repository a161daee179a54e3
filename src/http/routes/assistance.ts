import { z } from "zod";
import {
  addNote,
  addReferral,
  CASE_STATUSES,
  CHANNELS,
  changePriority,
  changeStatus,
  HELP_KINDS,
  loadCase,
  openCase,
  queueQuery,
  respond,
  termsOf,
} from "../../assistance/index.ts";
import { isStaff, type Role } from "../../identity/index.ts";
import { loadPolicy } from "../../policies/index.ts";
import { NotFoundError } from "../../shared/errors.ts";
import { canSeeParty, staffOnlyField, today, visibleCase } from "../access.ts";
import type { Router } from "../router.ts";
import { dateInput, idParams, pageQuery, uuid } from "../schemas.ts";
import { caseSummary, caseView, summaryOf, viewCase } from "../views/case.ts";
import { HELPLINE, registerCaseActionRoutes } from "./case-actions.ts";
import { registerEscalationRoutes } from "./escalations.ts";

const FOLLOWERS: readonly Role[] = ["policyholder", ...HELPLINE, "claims_handler"];
const text = z.string().trim().min(1).max(4000);
const reason = z.string().trim().min(3).max(1000);
const flag = z.enum(["true", "false"]).transform((v) => v === "true");
const instantInput = z.iso.datetime({ offset: true }).describe("staff only: when the contact began");

export function registerAssistanceRoutes(r: Router) {
  r.route({
    method: "POST",
    url: "/cases",
    summary: "Open a helpline case (24/7): priority, due instants and entitlement are set at once",
    tags: ["helpline"],
    roles: FOLLOWERS,
    idempotent: true,
    status: 201,
    body: z
      .object({
        policyId: uuid,
        channel: z.enum(CHANNELS).optional().describe("default portal for a policyholder, phone for staff"),
        category: z.string().min(1).max(64),
        ongoing: z.boolean().optional(),
        helpKinds: z.array(z.enum(HELP_KINDS)).max(4).optional(),
        description: text.optional(),
        openedAt: instantInput.optional(),
      })
      .strict(),
    response: caseView,
    handler: async ({ tx, ctx, principal, body }) => {
      staffOnlyField(principal, "openedAt", body.openedAt);
      const loaded = await loadPolicy(tx, ctx, body.policyId);
      if (!canSeeParty(principal, loaded.policy.party_id)) throw new NotFoundError("policy", body.policyId);
      const row = await openCase(tx, ctx, {
        policyId: body.policyId,
        channel: body.channel ?? (isStaff(principal.role) ? "phone" : "portal"),
        category: body.category,
        ongoing: body.ongoing,
        helpKinds: body.helpKinds,
        description: body.description ?? null,
        openedAt: body.openedAt ? new Date(body.openedAt) : undefined,
        authorRole: principal.role,
      });
      return viewCase(tx, ctx, row.id);
    },
  });

  r.route({
    method: "GET",
    url: "/cases",
    summary:
      "Helpline cases sorted by the next due instant: a policyholder's own, or for the helpline the queue (filter by status, priority, at risk, breached)",
    tags: ["helpline"],
    roles: FOLLOWERS,
    query: pageQuery
      .extend({
        status: z.enum(CASE_STATUSES).optional(),
        priority: z.enum(["urgent", "high", "normal"]).optional(),
        atRisk: flag.optional(),
        breached: flag.optional(),
      })
      .strict(),
    response: z.object({ items: z.array(caseSummary), total: z.number().int() }),
    handler: async ({ tx, ctx, principal, query }) => {
      const filter = {
        ...query,
        partyId: isStaff(principal.role) ? undefined : principal.partyId!,
      };
      const [rows, total] = await Promise.all([
        queueQuery(tx, ctx.now, filter)
          .selectAll("c")
          .select(["p.product_code", "p.product_version"])
          .orderBy("c.next_due")
          .orderBy("c.id")
          .limit(query.limit)
          .offset(query.offset)
          .execute(),
        queueQuery(tx, ctx.now, filter)
          .select((eb) => eb.fn.countAll<string>().as("n"))
          .executeTakeFirstOrThrow(),
      ]);
      const items = rows.map(({ product_code, product_version, ...row }) =>
        summaryOf(termsOf(ctx.catalog.get(product_code, product_version)), row, ctx.now),
      );
      return { items, total: Number(total.n) };
    },
  });

  r.route({
    method: "GET",
    url: "/cases/:id",
    summary: "One helpline case with its notes, history, referrals, consents and content-removal items",
    tags: ["helpline"],
    roles: FOLLOWERS,
    params: idParams,
    response: caseView,
    handler: async ({ tx, ctx, principal, params }) => {
      await visibleCase(tx, principal, params.id);
      return viewCase(tx, ctx, params.id);
    },
  });

  r.route({
    method: "POST",
    url: "/cases/:id/notes",
    summary: "Add a note to a case (append-only); a policyholder's note on a waiting case resumes it",
    tags: ["helpline"],
    roles: FOLLOWERS,
    params: idParams,
    body: z.object({ text }).strict(),
    response: caseView,
    handler: async ({ tx, ctx, principal, params, body }) => {
      await visibleCase(tx, principal, params.id);
      await addNote(tx, ctx, { caseId: params.id, body: body.text, authorRole: principal.role });
      return viewCase(tx, ctx, params.id);
    },
  });

  r.route({
    method: "POST",
    url: "/cases/:id/responses",
    summary: "Respond to the customer; the first response meets or misses the first-response target",
    tags: ["helpline"],
    roles: HELPLINE,
    params: idParams,
    body: z.object({ text, version: z.number().int().optional() }).strict(),
    response: caseView,
    handler: async ({ tx, ctx, principal, params, body }) => {
      await visibleCase(tx, principal, params.id);
      await respond(tx, ctx, {
        caseId: params.id,
        body: body.text,
        authorRole: principal.role,
        version: body.version,
      });
      return viewCase(tx, ctx, params.id);
    },
  });

  r.route({
    method: "POST",
    url: "/cases/:id/status",
    summary:
      "Change a case's status (open → in_progress ⇄ waiting_for_customer → resolved; reopen with a reason)",
    tags: ["helpline"],
    roles: HELPLINE,
    params: idParams,
    body: z
      .object({
        status: z.string().min(1).max(64),
        reason: reason.optional(),
        version: z.number().int().optional(),
      })
      .strict(),
    response: caseView,
    handler: async ({ tx, ctx, principal, params, body }) => {
      await visibleCase(tx, principal, params.id);
      await changeStatus(tx, ctx, {
        caseId: params.id,
        to: body.status,
        reason: body.reason,
        version: body.version,
      });
      return viewCase(tx, ctx, params.id);
    },
  });

  r.route({
    method: "POST",
    url: "/cases/:id/priority",
    summary: "Change a case's priority with a reason; its targets become the new priority's, from openedAt",
    tags: ["helpline"],
    roles: HELPLINE,
    params: idParams,
    body: z
      .object({ priority: z.string().min(1).max(32), reason, version: z.number().int().optional() })
      .strict(),
    response: caseView,
    handler: async ({ tx, ctx, principal, params, body }) => {
      await visibleCase(tx, principal, params.id);
      await changePriority(tx, ctx, { caseId: params.id, ...body });
      return viewCase(tx, ctx, params.id);
    },
  });

  r.route({
    method: "POST",
    url: "/cases/:id/referrals",
    summary:
      "Record a referral (police, bank or Card Stop, Fraudehelpdesk, Safeonweb, …) with the day it was advised",
    tags: ["helpline"],
    roles: HELPLINE,
    params: idParams,
    body: z.object({ to: z.string().min(1).max(64), advisedOn: dateInput.optional() }).strict(),
    response: caseView,
    handler: async ({ tx, ctx, principal, params, body }) => {
      await visibleCase(tx, principal, params.id);
      const { loaded } = await loadCase(tx, ctx, params.id);
      await addReferral(tx, ctx, {
        caseId: params.id,
        to: body.to,
        advisedOn: body.advisedOn ?? today(ctx, loaded.product.timeZone),
      });
      return viewCase(tx, ctx, params.id);
    },
  });

  registerCaseActionRoutes(r);
  registerEscalationRoutes(r);
}
