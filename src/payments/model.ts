/**
 * pending → exported → executed; exported → rejected (pain.002, before execution) and executed →
 * returned (the payee's bank sent it back) go back out under a new EndToEndId; a pending amount
 * that a lowered claim no longer owes is cancelled.
 */
export const PAYOUT_STATUSES = [
  "pending",
  "exported",
  "executed",
  "rejected",
  "returned",
  "cancelled",
] as const;
export type PayoutStatus = (typeof PAYOUT_STATUSES)[number];
export type PayoutKind = "claim" | "refund" | "overpayment";

/**
 * The status changes a payout may make (checked by `movePayout`). A return can arrive before the
 * bank reported the execution (exported → returned); rejected and returned payouts are owed and go
 * out again in a later file, or are cancelled when a lowered claim no longer owes them. Executed
 * and cancelled are final but for a return of an executed transfer.
 */
export const ALLOWED: Record<PayoutStatus, readonly PayoutStatus[]> = {
  pending: ["exported", "cancelled"],
  exported: ["executed", "rejected", "returned"],
  executed: ["returned"],
  rejected: ["exported", "cancelled"],
  returned: ["exported", "cancelled"],
  cancelled: [],
};

export function canMove(from: PayoutStatus, to: PayoutStatus): boolean {
  return ALLOWED[from].includes(to);
}
