import type { Tx } from "../db/schema.ts";
import { type AccountCode, bookedOn } from "../ledger/index.ts";
import type { Cents } from "../shared/money.ts";

/**
 * A claim's expense booked apart (issue 14 item 7): the part of its payout paid ex gratia goes to
 * `ex_gratia_expense`, the rest to `claims_expense`. Every accrual and lowering books the change of
 * the ex-gratia part first, measured against what the ledger already holds for the claim, so the
 * two accounts follow the claim's decisions however often its payout moves.
 */
export async function expenseLines(
  tx: Tx,
  claimId: string,
  /** The expense booked now: positive when a payout accrues, negative when it is lowered. */
  amount: Cents,
  /** The claim's ex-gratia part after the decision. */
  exGratia: Cents,
): Promise<{ account: AccountCode; amount: Cents }[]> {
  const booked = await bookedOn(tx, "ex_gratia_expense", `claim:${claimId}:`);
  const wanted = exGratia - booked;
  // Never more than the amount itself, and only in the amount's direction.
  const ex = amount >= 0 ? Math.min(amount, Math.max(0, wanted)) : Math.max(amount, Math.min(0, wanted));
  return [
    { account: "ex_gratia_expense", amount: ex },
    { account: "claims_expense", amount: amount - ex },
  ];
}
