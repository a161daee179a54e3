import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dateInput, moneyInput, unstorableText } from "../../../src/http/schemas.ts";
import { parseDate } from "../../../src/shared/dates.ts";
import { ValidationError } from "../../../src/shared/errors.ts";
import { addBasisPoints, parseAmount, sum } from "../../../src/shared/money.ts";

const day = (d: Date) => d.toISOString().slice(0, 10);

describe("dateInput and parseDate: one range", () => {
  it("accept every real date from 1900-01-01 to 2999-12-31 and refuse every one outside", () => {
    const any = fc.date({
      min: new Date("0000-01-01T00:00:00Z"),
      max: new Date("9999-12-31T00:00:00Z"),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(any, (d) => {
        const iso = day(d);
        const inside = iso >= "1900-01-01" && iso <= "2999-12-31";
        expect(dateInput.safeParse(iso).success).toBe(inside);
        if (inside) expect(parseDate(iso)).toBe(iso);
        else expect(() => parseDate(iso)).toThrow(ValidationError);
      }),
    );
  });

  it("refuse dates that do not exist", () => {
    for (const v of ["0000-01-01", "2026-02-29", "2026-04-31", "2026-13-01", "+002026-01-01"]) {
      expect(dateInput.safeParse(v).success, v).toBe(false);
      expect(() => parseDate(v), v).toThrow(ValidationError);
    }
  });
});

describe("moneyInput", () => {
  it("keeps the sum of 20 accepted amounts an exact integer of cents", () => {
    const amount = fc
      .tuple(fc.integer({ min: 0, max: 9_999_999_999 }), fc.integer({ min: 0, max: 99 }))
      .map(([euros, cents]) => `${euros}.${String(cents).padStart(2, "0")}`);
    fc.assert(
      fc.property(fc.array(amount, { minLength: 1, maxLength: 20 }), (amounts) => {
        for (const a of amounts) expect(moneyInput.safeParse(a).success).toBe(true);
        const total = sum(amounts.map((a) => parseAmount(a)));
        // Exact to the cent with a 3% installment surcharge on top (addBasisPoints asserts safe cents).
        expect(addBasisPoints(total, 300)).toBeGreaterThanOrEqual(total);
      }),
    );
  });

  it("refuses amounts of 10,000,000,000.00 and more", () => {
    for (const v of ["10000000000.00", "9999999999999.99", "99999999999"])
      expect(moneyInput.safeParse(v).success).toBe(false);
  });
});

describe("unstorableText", () => {
  it("finds NUL and unpaired surrogates in values and keys at any depth, and nothing else", () => {
    expect(
      unstorableText({ a: ["ok", { b: "x\u0000" }], "\ud800": 1, c: "😀", d: "\udc00" }).map((i) => i.path),
    ).toEqual(["a.1.b", "\ud800", "d"]);
    const text = fc.string({ unit: "grapheme", maxLength: 20 }).filter((x) => !x.includes("\u0000"));
    fc.assert(
      fc.property(
        text,
        text,
        fc.constantFrom("\u0000", "\ud800", "\udbff", "\udc00", "\udfff"),
        (a, b, bad) => {
          expect(unstorableText({ [a]: [b] })).toEqual([]);
          expect(unstorableText({ k: [a + bad + b] }).map((x) => x.path)).toEqual(["k.0"]);
        },
      ),
    );
  });
});
