import type { AccountCode } from "../ledger/index.ts";
import type { PayoutKind } from "./model.ts";

/** The liability a payout of this kind settles: what the ledger owes until the bank pays it. */
export function payableAccount(kind: PayoutKind): AccountCode {
  if (kind === "claim") return "claims_payable";
  if (kind === "refund") return "refunds_payable";
  return "overpayments";
}

/**
 * Idempotency key of a payout's execution entry. The first file keeps the key it always had; a
 * payout that went out again is executed (and booked) once per attempt.
 */
export function executedSource(payout: { id: number; attempt: number }): string {
  return payout.attempt === 1
    ? `payout:${payout.id}:executed`
    : `payout:${payout.id}:${payout.attempt}:executed`;
}
