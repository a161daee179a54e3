import { z } from "zod";
import {
  type CaseRow,
  caseDetails,
  clockOf,
  consentsOfCase,
  loadCase,
  removalsOfCase,
  targetState,
} from "../../assistance/index.ts";
import type { Tx } from "../../db/schema.ts";
import type { AssistanceTerms } from "../../products/index.ts";
import type { Ctx } from "../../shared/context.ts";
import { formatAmount } from "../../shared/money.ts";
import { isoDate, money, uuid } from "../schemas.ts";

const instant = z.string().meta({ example: "2026-03-01T01:45:00.000Z" });
const target = z.object({
  due: instant,
  met: z.boolean().nullable(),
  atRisk: z.boolean(),
  breached: z.boolean(),
});

export const caseSummary = z.object({
  id: uuid,
  number: z.string(),
  policyId: uuid,
  openedAt: instant,
  channel: z.string(),
  category: z.string(),
  ongoing: z.boolean(),
  helpKinds: z.array(z.string()),
  priority: z.enum(["urgent", "high", "normal"]),
  priorityReason: z.string().nullable(),
  status: z.enum(["open", "in_progress", "waiting_for_customer", "resolved"]),
  entitled: z.boolean(),
  entitlementReason: z.enum(["not_in_force", "cover_suspended"]).nullable(),
  firstResponse: target,
  resolution: target,
  backOnQueue: z.boolean(),
  claimId: uuid.nullable(),
  version: z.number().int(),
});

export const removalView = z.object({
  id: uuid,
  caseId: uuid,
  platform: z.string(),
  url: z.string(),
  contentType: z.string(),
  ground: z.string(),
  status: z.enum(["requested", "notice_sent", "removed", "refused", "no_response"]),
  language: z.string(),
  notice: z.string().nullable(),
  noticeSentAt: instant.nullable(),
  answeredAt: instant.nullable(),
  noResponseAt: instant.nullable(),
});

export const caseView = caseSummary.extend({
  notes: z.array(
    z.object({ at: instant, author: z.string(), role: z.string(), response: z.boolean(), text: z.string() }),
  ),
  history: z.array(
    z.object({ at: instant, from: z.string().nullable(), to: z.string(), reason: z.string().nullable() }),
  ),
  priorityChanges: z.array(z.object({ at: instant, from: z.string(), to: z.string(), reason: z.string() })),
  referrals: z.array(z.object({ to: z.string(), advisedOn: isoDate })),
  breaches: z.array(z.object({ target: z.string(), dueAt: instant, recordedAt: instant })),
  consents: z.array(z.object({ givenAt: instant, givenOn: isoDate, givenBy: z.string(), maxAmount: money })),
  contentRemovals: z.array(removalView),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function summaryOf(terms: AssistanceTerms, row: CaseRow, now: Date): z.infer<typeof caseSummary> {
  const clock = clockOf(row);
  const state = (t: "first_response" | "resolution", done: Date | null) => {
    const s = targetState(terms, clock, t, done, now);
    return { due: s.due.toISOString(), met: s.met, atRisk: s.atRisk, breached: s.breached };
  };
  return {
    id: row.id,
    number: row.number,
    policyId: row.policy_id,
    openedAt: row.opened_at.toISOString(),
    channel: row.channel,
    category: row.category,
    ongoing: row.ongoing,
    helpKinds: row.help_kinds,
    priority: row.priority,
    priorityReason: row.priority_reason,
    status: row.status,
    entitled: row.entitled,
    entitlementReason: row.entitlement_reason,
    firstResponse: state("first_response", row.first_response_at),
    resolution: state("resolution", row.resolved_at),
    backOnQueue: row.attention_since !== null,
    claimId: row.claim_id,
    version: row.version,
  };
}

export function viewRemoval(
  r: Awaited<ReturnType<typeof removalsOfCase>>[number],
): z.infer<typeof removalView> {
  return {
    id: r.id,
    caseId: r.case_id,
    platform: r.platform,
    url: r.url,
    contentType: r.content_type,
    ground: r.ground,
    status: r.status,
    language: r.language,
    notice: r.notice_text,
    noticeSentAt: iso(r.notice_sent_at),
    answeredAt: iso(r.answered_at),
    noResponseAt: iso(r.no_response_at),
  };
}

/** One case with everything that hangs off it, in a constant number of queries. */
export async function viewCase(tx: Tx, ctx: Ctx, caseId: string): Promise<z.infer<typeof caseView>> {
  const { row, terms } = await loadCase(tx, ctx, caseId);
  const [d, consents, removals] = await Promise.all([
    caseDetails(tx, caseId),
    consentsOfCase(tx, caseId),
    removalsOfCase(tx, caseId),
  ]);
  return {
    ...summaryOf(terms, row, ctx.now),
    notes: d.notes.map((n) => ({
      at: n.at.toISOString(),
      author: n.author,
      role: n.author_role,
      response: n.is_response,
      text: n.body,
    })),
    history: d.history.map((h) => ({
      at: h.at.toISOString(),
      from: h.from_status,
      to: h.to_status,
      reason: h.reason,
    })),
    priorityChanges: d.priorities.map((p) => ({
      at: p.at.toISOString(),
      from: p.from_priority,
      to: p.to_priority,
      reason: p.reason,
    })),
    referrals: d.referrals.map((r) => ({ to: r.referred_to, advisedOn: r.advised_on })),
    breaches: d.breaches.map((b) => ({
      target: b.target,
      dueAt: b.due_at.toISOString(),
      recordedAt: b.recorded_at.toISOString(),
    })),
    consents: consents.map((c) => ({
      givenAt: c.given_at.toISOString(),
      givenOn: c.given_on,
      givenBy: c.given_by_name,
      maxAmount: formatAmount(Number(c.max_cents)),
    })),
    contentRemovals: removals.map(viewRemoval),
  };
}
