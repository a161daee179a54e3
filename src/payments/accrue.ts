import { sql } from "kysely";
import type { Tx } from "../db/schema.ts";
import { postEntry } from "../ledger/index.ts";
import type { Ctx } from "../shared/context.ts";
import { expenseLines } from "./ex-gratia.ts";
import { insertClaimPayout, insertRefundPayouts } from "./store.ts";

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
    ex_gratia_cents: number;
    decision: number;
    decided_on: string;
    booked: number;
  }>`
    select c.id, c.policy_id, c.number, c.payout_cents::int8 as payout_cents, c.ex_gratia_cents::int8 as ex_gratia_cents,
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
    const row = await insertClaimPayout(tx, ctx, {
      policyId: c.policy_id,
      claimId: c.id,
      decision: c.decision,
      amount,
      endToEndId: `${c.number}-${c.decision}`,
      accruedOn: c.decided_on,
    });
    if (!row) continue;
    claimRows++;
    await postEntry(tx, ctx, {
      postedOn: c.decided_on,
      kind: "claim_approved",
      source: `claim:${c.id}:${c.decision}:approved`,
      policyId: c.policy_id,
      description: `claim ${c.number} approved (decision ${c.decision})`,
      lines: [
        ...(await expenseLines(tx, c.id, amount, Number(c.ex_gratia_cents))),
        { account: "claims_payable", amount: -amount },
      ],
    });
  }
  const refunds = await insertRefundPayouts(tx, ctx);
  return { claims: claimRows, refunds };
}
