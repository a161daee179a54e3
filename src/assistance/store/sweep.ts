import { sql } from "kysely";
import type { Tx } from "../../db/schema.ts";
import type { CasePriority } from "../../products/index.ts";
import type { Ctx } from "../../shared/context.ts";
import type { CaseStatus } from "../model.ts";
import { audit } from "./cases.ts";

/**
 * The set-based writes of the breach sweep and the content-removal follow-up, and the queue read.
 *
 * Lock rule: the sweeps take no case lock. A breach is one row per (case, target) under a unique
 * key, inserted with `on conflict do nothing`, so two sweeps at once, a late sweep or a response
 * recording its own lateness all end with the one row, and only the inserting statement writes its
 * audit entry (from the same CTE). The follow-up moves items `notice_sent → no_response` with the
 * status in the WHERE, so an answer recorded meanwhile wins and the sweep skips the item.
 */

/** Records every target that passed unmet before `ctx.now`; returns how many were new. */
export async function sweepBreaches(tx: Tx, ctx: Ctx): Promise<number> {
  const now = ctx.now.toISOString();
  const result = await sql<{ case_id: string; policy_id: string; target: string; due_at: Date }>`
    with due as (
      select c.id, c.policy_id, 'first_response'::text as target, c.first_response_due as due_at
        from assistance_cases c
       where c.first_response_at is null and c.status <> 'resolved' and c.first_response_due < ${now}::timestamptz
         and not exists (select 1 from assistance_breaches x where x.case_id = c.id and x.target = 'first_response')
      union all
      select c.id, c.policy_id, 'resolution', c.resolution_due
        from assistance_cases c
       where c.status in ('open', 'in_progress') and c.resolution_due < ${now}::timestamptz
         and not exists (select 1 from assistance_breaches x where x.case_id = c.id and x.target = 'resolution')
    )
    insert into assistance_breaches (case_id, policy_id, target, due_at, recorded_at)
    select id, policy_id, target, due_at, ${now}::timestamptz from due
    on conflict (case_id, target) do nothing
    returning case_id, policy_id, target, due_at`.execute(tx);
  // Only the rows this statement inserted are audited: a concurrent sweep's rows are its own.
  await audit(
    tx,
    ctx,
    result.rows.map((b) => ({
      action: "assistance.breach_recorded",
      entityType: "assistance_case",
      entityId: b.case_id,
      policyId: b.policy_id,
      after: { target: b.target, dueAt: b.due_at, escalatedTo: "helpline_supervisor" },
    })),
  );
  return result.rows.length;
}

/**
 * Marks `no_response` every item of the policies of one product version whose notice went out at
 * least `hours` before now, and puts its case back on the queue (`attention_since`).
 */
export async function sweepNoResponse(
  tx: Tx,
  ctx: Ctx,
  product: { code: string; version: number; hours: number },
): Promise<number> {
  const now = ctx.now.toISOString();
  const result = await sql<{ id: string; case_id: string; policy_id: string }>`
    with r as (
      update content_removals i
         set status = 'no_response', no_response_at = ${now}::timestamptz, updated_at = ${now}::timestamptz,
             version = i.version + 1
        from policies p
       where p.id = i.policy_id and p.product_code = ${product.code} and p.product_version = ${product.version}
         and i.status = 'notice_sent'
         and i.notice_sent_at <= ${now}::timestamptz - make_interval(hours => ${product.hours}::int)
      returning i.id, i.case_id, i.policy_id
    ), back as (
      update assistance_cases c
         set attention_since = coalesce(c.attention_since, ${now}::timestamptz), version = c.version + 1,
             updated_at = ${now}::timestamptz
       where c.id in (select case_id from r)
      returning c.id
    )
    select id, case_id, policy_id from r`.execute(tx);
  await audit(
    tx,
    ctx,
    result.rows.map((r) => ({
      action: "assistance.removal_status",
      entityType: "content_removal",
      entityId: r.id,
      policyId: r.policy_id,
      before: { status: "notice_sent" },
      after: { status: "no_response" },
    })),
  );
  return result.rows.length;
}

export interface QueueFilter {
  status?: CaseStatus;
  priority?: CasePriority;
  atRisk?: boolean;
  breached?: boolean;
  /** A policyholder's own household only. */
  partyId?: string;
  limit: number;
  offset: number;
}

/**
 * The helpline queue: unresolved cases and those an unanswered item brought back, sorted by
 * the due instant that comes next (`next_due`, indexed). At risk: a target unmet, past its
 * at-risk instant and not yet due; breached: a breach recorded.
 */
export function queueQuery(tx: Tx, now: Date, f: QueueFilter) {
  let q = tx.selectFrom("assistance_cases as c").innerJoin("policies as p", "p.id", "c.policy_id");
  if (f.partyId) q = q.where("p.party_id", "=", f.partyId);
  if (f.status) q = q.where("c.status", "=", f.status);
  else
    q = q.where((eb) => eb.or([eb("c.status", "<>", "resolved"), eb("c.attention_since", "is not", null)]));
  if (f.priority) q = q.where("c.priority", "=", f.priority);
  if (f.breached !== undefined) {
    const has = sql<boolean>`exists (select 1 from assistance_breaches b where b.case_id = c.id)`;
    q = q.where(f.breached ? has : sql<boolean>`not ${has}`);
  }
  if (f.atRisk !== undefined) {
    // `next_due >= now` lets the first page start at the index's "now" instead of passing every
    // overdue case first. It is implied by both branches, except for a case whose first response is
    // already overdue (and so breached) while its resolution enters the at-risk window: that case
    // shows under `breached`.
    const risk = sql<boolean>`(c.next_due >= ${now} and ((c.first_response_at is null and c.status <> 'resolved'
        and ${now} >= c.first_response_risk_at and ${now} <= c.first_response_due)
      or (c.status in ('open', 'in_progress') and ${now} >= c.resolution_risk_at and ${now} <= c.resolution_due)))`;
    q = q.where(f.atRisk ? risk : sql<boolean>`not ${risk}`);
  }
  return q;
}
