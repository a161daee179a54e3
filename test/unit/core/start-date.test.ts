import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkStartDate, checkStartWithinProduct, earliestStart } from "../../../src/policies/start-date.ts";
import { defaultCatalog } from "../../../src/products/catalog.ts";
import { addDays, daysBetween } from "../../../src/shared/dates.ts";
import { isoDate } from "../../support/arbitraries.ts";

/** Issue 10 item 4: the earliest start of a policy bound today, from the product's data. */
const nl = defaultCatalog().get("nl-cyber");

describe("earliestStart / checkStartDate", () => {
  it("both launch products allow staff 90 days back, policyholders none", () => {
    for (const p of defaultCatalog().list()) expect(p.maxBackdatingDays).toBe(90);
    expect(earliestStart(nl, "2026-12-02", true)).toBe("2026-09-03");
    expect(earliestStart(nl, "2026-12-02", false)).toBe("2026-12-02");
    expect(earliestStart(nl, "2026-02-01", true)).toBe("2026-01-01");
  });

  it("accepts exactly the starts on or after validFrom and within the limit, naming the limit that bit", () => {
    fc.assert(
      fc.property(
        isoDate("2020-01-01", 3650),
        isoDate("2020-01-01", 3650),
        isoDate("2019-01-01", 4000),
        fc.nat(400),
        fc.boolean(),
        (validFrom, today, start, maxBackdatingDays, staff) => {
          const product = { ...nl, validFrom, maxBackdatingDays };
          const back = daysBetween(start, today);
          const allowed = start >= validFrom && back <= (staff ? maxBackdatingDays : 0);
          let refusal: unknown = null;
          try {
            checkStartDate(product, start, today, staff);
          } catch (e) {
            refusal = e;
          }
          expect(refusal === null).toBe(allowed);
          if (refusal === null) return;
          expect(refusal).toMatchObject({ code: "dates_out_of_order", issues: [{ path: "startDate" }] });
          const message = (refusal as Error).message;
          if (start < validFrom && validFrom >= addDays(today, staff ? -maxBackdatingDays : 0))
            expect(message).toContain(`valid from ${validFrom}`);
          else if (staff) expect(message).toContain(`at most ${maxBackdatingDays} days`);
          else expect(message).toContain("must be today");
        },
      ),
    );
  });
});

describe("the product's own bound on a start", () => {
  it("a policy may start on the day its product version became valid, not the day before, whoever binds", () => {
    expect(() => checkStartWithinProduct(nl, nl.validFrom)).not.toThrow();
    expect(() => checkStartDate(nl, "2026-12-02", "2026-12-02", false)).not.toThrow();
    expect(() => checkStartWithinProduct(nl, addDays(nl.validFrom, -1))).toThrow(
      `${addDays(nl.validFrom, -1)} is before ${nl.validFrom}: nl-cyber v1 is valid from ${nl.validFrom}`,
    );
  });
});
