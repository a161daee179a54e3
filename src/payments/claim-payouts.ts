import { recordAudit } from "../audit/index.ts";
import type { Tx } from "../db/schema.ts";
import { postEntry } from "../ledger/index.ts";
import type { Ctx } from "../shared/context.ts";
import type { IsoDate } from "../shared/dates.ts";
import { AppError } from "../shared/errors.ts";
import { eur } from "../shared/i18n/index.ts";
import type { Cents } from "../shared/money.ts";
import { expenseLines } from "./ex-gratia.ts";
import { lowerPayout } from "./store.ts";

/** Statuses in which a payout is owed but not in the bank's hands: its amount can still change. */
const ADJUSTABLE = new Set(["pending", "rejected", "returned"]);

export interface ClaimPayoutChange {
  claimId: string;
  claimNumber: string;
  policyId: string;
  /** The claim's new approved amount (0 for a denial). */
  payout: Cents;
  /** Of it, the part paid ex gratia (booked on its own expense account). */
  exGratia: Cents;
  /** The decision (sequence) that changes it, and its date: the reversal is booked then. */
  decision: number;
  decidedOn: IsoDate;
}

/**
 * A claim's approved amount changed after payouts were accrued for it (export accrues them).
 * Raising needs nothing here: the next export accrues the difference as a further payout.
 * Lowering takes the difference off the payouts not in a bank file (pending, or rejected/returned
 * and waiting to go out again), newest first, and reverses it (Dr claims payable / Cr claims
 * expense). Money already in a written file or paid can't be taken back by a booking: such a
 * lowering is refused (`payout_in_progress`), naming the payouts; the override is not applied.
 */
export async function lowerClaimPayouts(tx: Tx, ctx: Ctx, change: ClaimPayoutChange): Promise<Cents> {
  // Locked in id order like every multi-payout lock (store.ts), then taken newest first.
  const locked = await tx
    .selectFrom("payouts")
    .selectAll()
    .where("claim_id", "=", change.claimId)
    .where("status", "<>", "cancelled")
    .orderBy("id")
    .forUpdate()
    .execute();
  const rows = locked.reverse();
  const accrued = rows.reduce((s, r) => s + r.amount_cents, 0);
  if (change.payout >= accrued) return 0;
  const lowered = accrued - change.payout;
  const adjustable = rows.filter((r) => ADJUSTABLE.has(r.status));
  const room = adjustable.reduce((s, r) => s + r.amount_cents, 0);
  if (room < lowered) {
    const busy = rows.filter((r) => !ADJUSTABLE.has(r.status));
    const floor = accrued - room;
    throw new AppError(
      "payout_in_progress",
      `claim ${change.claimNumber}: payout ${busy.map((r) => `${r.end_to_end_id} (${eur(r.amount_cents)}, ${r.status})`).join(", ")} is already in a bank file or paid; the approved amount can't go below ${eur(floor)}`,
      [{ path: "payout", message: `at least ${eur(floor)}` }],
    );
  }
  let left = lowered;
  const changed: { id: number; endToEndId: string; from: Cents; to: Cents }[] = [];
  for (const r of adjustable) {
    if (left === 0) break;
    const take = Math.min(r.amount_cents, left);
    left -= take;
    const to = r.amount_cents - take;
    await lowerPayout(tx, r, to);
    changed.push({ id: r.id, endToEndId: r.end_to_end_id, from: r.amount_cents, to });
  }
  await postEntry(tx, ctx, {
    postedOn: change.decidedOn,
    kind: "claim_lowered",
    source: `claim:${change.claimId}:${change.decision}:lowered`,
    policyId: change.policyId,
    description: `claim ${change.claimNumber} lowered by decision ${change.decision}`,
    lines: [
      { account: "claims_payable", amount: lowered },
      ...(await expenseLines(tx, change.claimId, -lowered, change.exGratia)),
    ],
  });
  await recordAudit(tx, ctx, {
    action: "payout.lowered",
    entityType: "claim",
    entityId: change.claimId,
    policyId: change.policyId,
    before: { accrued },
    after: { payout: change.payout, decision: change.decision, payouts: changed },
  });
  return lowered;
}
