import { sql } from "kysely";
import type { Tx } from "../db/schema.ts";
import { postEntry } from "../ledger/post.ts";
import type { Ctx } from "../shared/context.ts";

export interface AccrualResult {
  claims: number;
  refunds: number;
}

/**
 * Brings payouts up to date with what the insurer owes: each approved claim whose payout is not yet
 * covered by payout rows gets a row for the difference, booked Dr claims expense / Cr claims payable
 * on the decision date (a raise after accrual is such a difference, under the new decision; a
 * lowering is handled when the override is made, see claim-payouts.ts); each refund adjustment gets a row (its Dr income / Cr refunds payable was
 * booked with the adjustment). Done at export time rather than in the claim decision path, so
 * overrides and re-decisions are all seen; the (claim, decision) key and the entry source make it
 * idempotent, so calling it twice, or from two processes, accrues once.
 */
export async function accruePayouts(tx: Tx, ctx: Ctx): Promise<AccrualResult> {
  const claims = await sql<{
    id: string;
    policy_id: string;
    number: string;
    payout_cents: number;
    decision: number;
    decided_on: string;
    booked: number;
  }>`
    select c.id, c.policy_id, c.number, c.payout_cents::int8 as payout_cents,
           c.current_decision as decision, to_char(d.decided_on, 'YYYY-MM-DD') as decided_on,
           coalesce((select sum(p.amount_cents) from payouts p where p.claim_id = c.id and p.status <> 'cancelled'), 0)::int8 as booked
    from claims c
    join claim_decisions d on d.claim_id = c.id and d.sequence = c.current_decision
    where c.status = 'approved' and c.payout_cents > 0
      and c.payout_cents > coalesce((select sum(p.amount_cents) from payouts p
                                     where p.claim_id = c.id and p.status <> 'cancelled'), 0)
    order by c.id`.execute(tx);
  let claimRows = 0;
  for (const c of claims.rows) {
    const amount = c.payout_cents - c.booked;
    const row = await tx
      .insertInto("payouts")
      .values({
        policy_id: c.policy_id,
        kind: "claim",
        claim_id: c.id,
        claim_decision: c.decision,
        amount_cents: amount,
        end_to_end_id: `${c.number}-${c.decision}`,
        accrued_on: c.decided_on,
        created_at: ctx.now,
      })
      .onConflict((oc) => oc.columns(["claim_id", "claim_decision"]).doNothing())
      .returning("id")
      .executeTakeFirst();
    if (!row) continue;
    claimRows++;
    await postEntry(tx, ctx, {
      postedOn: c.decided_on,
      kind: "claim_approved",
      source: `claim:${c.id}:${c.decision}:approved`,
      policyId: c.policy_id,
      description: `claim ${c.number} approved (decision ${c.decision})`,
      lines: [
        { account: "claims_expense", amount },
        { account: "claims_payable", amount: -amount },
      ],
    });
  }
  const refunds = await sql<{ id: number }>`
    insert into payouts (policy_id, kind, adjustment_id, amount_cents, end_to_end_id, accrued_on, created_at)
    select a.policy_id, 'refund', a.id, -a.amount_cents, 'REFUND-' || a.id, a.created_on, ${ctx.now}
    from billing_adjustments a
    where a.kind = 'refund' and a.refund_batch_id is null
      and not exists (select 1 from payouts p where p.adjustment_id = a.id)
    on conflict do nothing
    returning id`.execute(tx);
  return { claims: claimRows, refunds: refunds.rows.length };
}
