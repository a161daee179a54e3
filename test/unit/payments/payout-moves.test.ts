import { describe, expect, it } from "vitest";
import { ALLOWED, canMove, PAYOUT_STATUSES, type PayoutStatus } from "../../../src/payments/model.ts";

/**
 * The payout lifecycle, stated once more by hand: a change to `ALLOWED` must be a change to this
 * list too, so a move can't become legal by accident.
 */
const LEGAL: readonly (readonly [PayoutStatus, PayoutStatus])[] = [
  ["pending", "exported"], // put in a bank file
  ["pending", "cancelled"], // a lowered claim no longer owes it
  ["exported", "executed"], // the bank paid it
  ["exported", "rejected"], // pain.002 RJCT
  ["exported", "returned"], // a return reported before the execution
  ["executed", "returned"], // the payee's bank sent it back
  ["rejected", "exported"], // out again in the next file
  ["rejected", "cancelled"],
  ["returned", "exported"],
  ["returned", "cancelled"],
];

const allPairs = PAYOUT_STATUSES.flatMap((from) => PAYOUT_STATUSES.map((to) => [from, to] as const));
const isLegal = (from: PayoutStatus, to: PayoutStatus) => LEGAL.some(([f, t]) => f === from && t === to);

describe("payout status moves", () => {
  it("declares every status", () => {
    expect(Object.keys(ALLOWED).sort()).toEqual([...PAYOUT_STATUSES].sort());
  });

  it.each(allPairs.filter(([f, t]) => !isLegal(f, t)))("refuses %s → %s", (from, to) => {
    expect(canMove(from, to)).toBe(false);
  });

  it.each(LEGAL)("allows %s → %s", (from, to) => {
    expect(canMove(from, to)).toBe(true);
  });

  it("never moves a payout to the status it is in, and nothing leaves cancelled", () => {
    for (const s of PAYOUT_STATUSES) expect(canMove(s, s)).toBe(false);
    expect(ALLOWED.cancelled).toEqual([]);
  });
});
