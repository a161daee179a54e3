import type { Cents } from "../shared/money.ts";

/**
 * What a handler's override may pay under the cover (issue 14 item 7): the loss claimed minus the
 * deductible (eigen risico), at most the section's per-event limit, and at most what the annual
 * limit has left for this claim. Beyond that only ex gratia: the whole excess is then the
 * ex-gratia part, which the limit's usage does not count and the ledger books apart.
 */
export interface CoverRoom {
  /** The sum of the claim's loss lines as filed: the most a handler can accept as lost. */
  claimed: Cents;
  deductible: Cents;
  perEventLimit: Cents | null;
  /** The annual limit minus what other claims of the section and policy year use. */
  limitRoom: Cents;
}

export interface OverrideSplit {
  /** The most the cover pays for this claim. */
  cap: Cents;
  /** The payout's part within the cover, counted in the annual limit. */
  contractual: Cents;
  /** The payout's part beyond the cover. */
  exGratia: Cents;
  /** What bounds the cap: the loss after the deductible, the per-event limit or the annual limit. */
  boundBy: "loss" | "per_event_limit" | "annual_limit";
}

export function coverCap(room: CoverRoom): { cap: Cents; boundBy: OverrideSplit["boundBy"] } {
  let cap = Math.max(0, room.claimed - room.deductible);
  let boundBy: OverrideSplit["boundBy"] = "loss";
  if (room.perEventLimit !== null && room.perEventLimit < cap) {
    cap = room.perEventLimit;
    boundBy = "per_event_limit";
  }
  const limitRoom = Math.max(0, room.limitRoom);
  if (limitRoom < cap) {
    cap = limitRoom;
    boundBy = "annual_limit";
  }
  return { cap, boundBy };
}

/** Splits a payout into its contractual and ex-gratia parts. */
export function splitOverride(payout: Cents, room: CoverRoom): OverrideSplit {
  const { cap, boundBy } = coverCap(room);
  const contractual = Math.min(payout, cap);
  return { cap, contractual, exGratia: payout - contractual, boundBy };
}
