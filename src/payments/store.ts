import { type Selectable, sql, type Updateable } from "kysely";
import type { Tx } from "../db/schema.ts";
import type { Ctx } from "../shared/context.ts";
import type { IsoDate } from "../shared/dates.ts";
import { AppError } from "../shared/errors.ts";
import type { Cents } from "../shared/money.ts";
import { canMove, type PayoutStatus } from "./model.ts";
import type { PayoutsTable } from "./tables.ts";

/**
 * The payments module's writer of `payouts`: no other code inserts or updates a payout
 * (test/unit/core/one-writer.test.ts holds the line).
 *
 * Locking rules:
 * - A payout's status moves only through `movePayout`, a compare-and-set on the status it was read
 *   in: the UPDATE locks the row, and a row that is not in `from` any more (another transaction
 *   moved it first) is a `conflict`, never a silent second move. Callers may read without a lock.
 * - Code that moves or changes several payouts locks them first with `SELECT … FOR UPDATE` in `id`
 *   order (export: every payout due; a lowered claim: the claim's payouts, under the claim's own
 *   lock), so two such transactions queue on the first shared row and can't deadlock.
 * - Inserts take no lock: the (claim, decision), adjustment and EndToEndId keys make accruing
 *   twice, or from two processes, insert once.
 */

export type PayoutRow = Selectable<PayoutsTable>;

/** The columns a move may set with the status; amounts and keys never change on a move. */
export type PayoutChanges = Pick<
  Updateable<PayoutsTable>,
  | "batch_id"
  | "end_to_end_id"
  | "attempt"
  | "failed_at"
  | "payee_name"
  | "iban"
  | "bic"
  | "executed_on"
  | "reject_reason"
>;

function refuse(from: PayoutStatus, to: PayoutStatus): never {
  throw new AppError("conflict", `a payout can't go from ${from} to ${to}`);
}

/**
 * Moves a payout from `from` to `to` (checked against `ALLOWED`), setting `changes` with it, and
 * returns the row as it is now. An illegal move, or a payout no longer in `from`, is a `conflict`.
 */
export async function movePayout(
  tx: Tx,
  payout: number | Pick<PayoutRow, "id" | "end_to_end_id">,
  from: PayoutStatus,
  to: PayoutStatus,
  changes: PayoutChanges = {},
): Promise<PayoutRow> {
  if (!canMove(from, to)) refuse(from, to);
  const id = typeof payout === "number" ? payout : payout.id;
  const moved = await tx
    .updateTable("payouts")
    .set({ ...changes, status: to })
    .where("id", "=", id)
    .where("status", "=", from)
    .returningAll()
    .executeTakeFirst();
  if (!moved) {
    const name = typeof payout === "number" ? `payout ${id}` : `payout ${payout.end_to_end_id}`;
    throw new AppError("conflict", `${name} is no longer ${from} (changed concurrently); retry`);
  }
  return moved;
}

/**
 * Lowers what a payout not in a bank file pays (a lowered claim); a compare-and-set on its status
 * like `movePayout`. A payout lowered to nothing is cancelled instead and keeps its amount.
 */
export async function lowerPayout(tx: Tx, payout: PayoutRow, to: Cents): Promise<void> {
  if (to === 0) {
    await movePayout(tx, payout, payout.status, "cancelled");
    return;
  }
  const changed = await tx
    .updateTable("payouts")
    .set({ amount_cents: to })
    .where("id", "=", payout.id)
    .where("status", "=", payout.status)
    .executeTakeFirst();
  if (Number(changed.numUpdatedRows) !== 1)
    throw new AppError("conflict", `payout ${payout.end_to_end_id} changed concurrently; retry`);
}

/** A claim payout for the part of decision `decision` not yet accrued; null if it was accrued already. */
export async function insertClaimPayout(
  tx: Tx,
  ctx: Ctx,
  p: {
    policyId: string;
    claimId: string;
    decision: number;
    amount: Cents;
    endToEndId: string;
    accruedOn: IsoDate;
  },
): Promise<{ id: number } | null> {
  const row = await tx
    .insertInto("payouts")
    .values({
      policy_id: p.policyId,
      kind: "claim",
      claim_id: p.claimId,
      claim_decision: p.decision,
      amount_cents: p.amount,
      end_to_end_id: p.endToEndId,
      accrued_on: p.accruedOn,
      created_at: ctx.now,
    })
    .onConflict((oc) => oc.columns(["claim_id", "claim_decision"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  return row ?? null;
}

/** A refund payout for every refund adjustment that has none yet; returns how many were added. */
export async function insertRefundPayouts(tx: Tx, ctx: Ctx): Promise<number> {
  const refunds = await sql<{ id: number }>`
    insert into payouts (policy_id, kind, adjustment_id, amount_cents, end_to_end_id, accrued_on, created_at)
    select a.policy_id, 'refund', a.id, -a.amount_cents, 'REFUND-' || a.id, a.created_on, ${ctx.now}
    from billing_adjustments a
    where a.kind = 'refund' and a.refund_batch_id is null
      and not exists (select 1 from payouts p where p.adjustment_id = a.id)
    on conflict do nothing
    returning id`.execute(tx);
  return refunds.rows.length;
}

/** The payout that pays an overpayment back to its payer. */
export async function insertOverpaymentPayout(
  tx: Tx,
  ctx: Ctx,
  p: { policyId: string; overpaymentId: number; amount: Cents; endToEndId: string; receivedOn: IsoDate },
): Promise<void> {
  await tx
    .insertInto("payouts")
    .values({
      policy_id: p.policyId,
      kind: "overpayment",
      overpayment_id: p.overpaymentId,
      amount_cents: p.amount,
      end_to_end_id: p.endToEndId,
      accrued_on: p.receivedOn,
      created_at: ctx.now,
    })
    .execute();
}

/**
 * Erasure: the payee of a party's payouts becomes `alias` and the IBAN is masked; amounts, dates,
 * status and EndToEndIds stay, the bookkeeping record of what was paid.
 */
export async function pseudonymisePayees(
  tx: Tx,
  policyIds: readonly string[],
  alias: string,
  mask: (iban: string) => string,
): Promise<void> {
  if (policyIds.length === 0) return;
  const payouts = await tx
    .selectFrom("payouts")
    .select(["id", "iban"])
    .where("policy_id", "in", policyIds)
    .execute();
  for (const p of payouts) {
    await tx
      .updateTable("payouts")
      .set({ payee_name: alias, iban: p.iban === null ? null : mask(p.iban) })
      .where("id", "=", p.id)
      .execute();
  }
}

/** A payout's current attempt by its EndToEndId: which file it is in and where it stands. */
export async function payoutAttemptByEndToEndId(tx: Tx, endToEndId: string) {
  return tx
    .selectFrom("payouts")
    .select(["end_to_end_id", "batch_id", "status"])
    .where("end_to_end_id", "=", endToEndId)
    .executeTakeFirst();
}

/** The EndToEndIds of a credit-transfer file's payouts. */
export async function payoutReferencesOfBatch(tx: Tx, batchId: number): Promise<string[]> {
  const rows = await tx
    .selectFrom("payouts")
    .select("end_to_end_id")
    .where("batch_id", "=", batchId)
    .execute();
  return rows.map((r) => r.end_to_end_id);
}
