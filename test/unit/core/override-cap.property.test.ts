import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { coverCap, splitOverride } from "../../../src/claims/override-cap.ts";

const room = fc.record({
  claimed: fc.integer({ min: 0, max: 10_000_000 }),
  deductible: fc.integer({ min: 0, max: 50_000 }),
  perEventLimit: fc.option(fc.integer({ min: 0, max: 5_000_000 }), { nil: null }),
  limitRoom: fc.integer({ min: -1_000_000, max: 10_000_000 }),
});

describe("what an override may pay under the cover", () => {
  it("is the loss minus the deductible, within the per-event cap and the annual limit's room", () => {
    fc.assert(
      fc.property(room, (r) => {
        const { cap } = coverCap(r);
        expect(cap).toBeGreaterThanOrEqual(0);
        expect(cap).toBeLessThanOrEqual(Math.max(0, r.claimed - r.deductible));
        if (r.perEventLimit !== null) expect(cap).toBeLessThanOrEqual(r.perEventLimit);
        expect(cap).toBeLessThanOrEqual(Math.max(0, r.limitRoom));
        // The cap is the tightest of the three bounds, not below it.
        expect(cap).toBe(
          Math.max(
            0,
            Math.min(r.claimed - r.deductible, r.perEventLimit ?? Number.MAX_SAFE_INTEGER, r.limitRoom),
          ),
        );
      }),
    );
  });

  it("splits every payout exactly into a part within the cover and an ex-gratia rest", () => {
    fc.assert(
      fc.property(room, fc.integer({ min: 0, max: 20_000_000 }), (r, payout) => {
        const s = splitOverride(payout, r);
        expect(s.contractual + s.exGratia).toBe(payout);
        expect(s.contractual).toBeLessThanOrEqual(s.cap);
        expect(s.exGratia > 0).toBe(payout > s.cap);
        expect(Number.isInteger(s.contractual) && Number.isInteger(s.exGratia)).toBe(true);
      }),
    );
  });

  it("never pays less within the cover for a larger loss or a larger room", () => {
    fc.assert(
      fc.property(
        room,
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (r, more, payout) => {
          const base = splitOverride(payout, r).contractual;
          expect(
            splitOverride(payout, { ...r, claimed: r.claimed + more }).contractual,
          ).toBeGreaterThanOrEqual(base);
          expect(
            splitOverride(payout, { ...r, limitRoom: r.limitRoom + more }).contractual,
          ).toBeGreaterThanOrEqual(base);
        },
      ),
    );
  });
});
