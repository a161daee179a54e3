import { describe, expect, it } from "vitest";
import { coverCap, splitOverride } from "../../../src/claims/override-cap.ts";

/**
 * What bounds a handler's override, as the claims desk reads it (issue 14 item 7): hacking, 50.00
 * deductible, no per-event cap; online purchase fraud, 1,500.00 per event. The bound named is the
 * first that bites; a tie keeps the earlier one (the loss before the per-event cap before the year).
 */
describe("the cover cap of an override", () => {
  it("a loss of 300.00 with room in the year is bound by the loss: 250.00", () => {
    expect(coverCap({ claimed: 30_000, deductible: 5_000, perEventLimit: null, limitRoom: 250_000 })).toEqual(
      {
        cap: 25_000,
        boundBy: "loss",
      },
    );
  });

  it("a loss of 2,000.00 under a 1,500.00 per-event cap is bound by the cap", () => {
    expect(
      coverCap({ claimed: 200_000, deductible: 5_000, perEventLimit: 150_000, limitRoom: 250_000 }),
    ).toEqual({
      cap: 150_000,
      boundBy: "per_event_limit",
    });
  });

  it("with 100.00 left of the annual limit, the year bounds it", () => {
    expect(
      coverCap({ claimed: 200_000, deductible: 5_000, perEventLimit: 150_000, limitRoom: 10_000 }),
    ).toEqual({
      cap: 10_000,
      boundBy: "annual_limit",
    });
    expect(coverCap({ claimed: 30_000, deductible: 5_000, perEventLimit: null, limitRoom: -500 })).toEqual({
      cap: 0,
      boundBy: "annual_limit",
    });
  });

  it("ties keep the earlier bound: a loss equal to the per-event cap, a cap equal to the room", () => {
    expect(
      coverCap({ claimed: 155_000, deductible: 5_000, perEventLimit: 150_000, limitRoom: 250_000 }).boundBy,
    ).toBe("loss");
    expect(
      coverCap({ claimed: 200_000, deductible: 5_000, perEventLimit: 150_000, limitRoom: 150_000 }).boundBy,
    ).toBe("per_event_limit");
  });

  it("paying 400.00 on a 250.00 cap is 250.00 under the cover and 150.00 ex gratia", () => {
    expect(
      splitOverride(40_000, { claimed: 30_000, deductible: 5_000, perEventLimit: null, limitRoom: 250_000 }),
    ).toEqual({ cap: 25_000, contractual: 25_000, exGratia: 15_000, boundBy: "loss" });
  });
});
