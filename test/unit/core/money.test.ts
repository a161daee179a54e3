import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AppError, ValidationError } from "../../../src/shared/errors.ts";
import {
  addBasisPoints,
  formatAmount,
  mulDivRoundHalfUp,
  parseAmount,
  sum,
} from "../../../src/shared/money.ts";
import { cents } from "../../support/arbitraries.ts";

function parseError(value: string, field?: string): ValidationError {
  try {
    parseAmount(value, field);
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return e as ValidationError;
  }
  throw new Error(`parseAmount(${JSON.stringify(value)}) did not throw`);
}

describe("parseAmount", () => {
  it.each([
    ["12.34", 1234],
    ["12.3", 1230],
    ["12", 1200],
    ["0", 0],
    ["0.05", 5],
    ["1500.00", 150_000],
    ["9999999999999.99", 999_999_999_999_999],
  ])("parses %s into %d cents", (input, expected) => {
    expect(parseAmount(input)).toBe(expected);
  });

  it.each(["-1", "-0.01", "-12.34"])("rejects the negative amount %s naming the field", (input) => {
    const e = parseError(input, "premium");
    expect(e.code).toBe("validation_failed");
    expect(e.issues).toHaveLength(1);
    expect(e.issues[0]?.path).toBe("premium");
    expect(e.issues[0]?.message).toMatch(/negative/);
    expect(e.message).toContain("premium");
  });

  it.each(["1.234", "0.001", "12.345"])("rejects %s with more than two decimals", (input) => {
    const e = parseError(input, "deductible");
    expect(e.issues[0]?.path).toBe("deductible");
    expect(e.issues[0]?.message).toMatch(/two decimals/);
  });

  it.each(["", "abc", "12,34", "1e3", "12.", ".5", "+5", "1 000", "0x10", "NaN", "Infinity", "12.3a", "€12"])(
    "rejects garbage %j",
    (input) => {
      const e = parseError(input, "amount");
      expect(e).toBeInstanceOf(AppError);
      expect(e.issues[0]?.path).toBe("amount");
    },
  );

  it("uses 'amount' as the default field name", () => {
    expect(parseError("x").issues[0]?.path).toBe("amount");
  });
});

describe("formatAmount", () => {
  it.each([
    [0, "0.00"],
    [5, "0.05"],
    [1230, "12.30"],
    [123_450, "1234.50"],
    [-5, "-0.05"],
    [-123_456, "-1234.56"],
  ])("formats %d as %s", (value, expected) => {
    expect(formatAmount(value)).toBe(expected);
  });

  it("refuses a fractional number of cents", () => {
    expect(() => formatAmount(1.5)).toThrow(RangeError);
  });

  it("round-trips with parseAmount for every non-negative amount (property)", () => {
    fc.assert(
      fc.property(cents(999_999_999_999_999), (c) => {
        expect(parseAmount(formatAmount(c))).toBe(c);
      }),
    );
  });

  it("parseAmount then formatAmount normalises any valid decimal string (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9_999_999 }),
        fc.option(fc.stringMatching(/^\d{1,2}$/), { nil: undefined }),
        (euros, fraction) => {
          const input = fraction === undefined ? `${euros}` : `${euros}.${fraction}`;
          const expected = `${euros}.${(fraction ?? "").padEnd(2, "0")}`;
          expect(formatAmount(parseAmount(input))).toBe(expected);
        },
      ),
    );
  });
});

/** Reference: round half up of value × n / d with BigInt arithmetic, written independently. */
function referenceHalfUp(value: number, n: number, d: number): bigint {
  const twice = (2n * BigInt(value) * BigInt(n)) / BigInt(d); // floor(2x)
  return (twice + 1n) / 2n; // floor(x + 1/2)
}

describe("mulDivRoundHalfUp", () => {
  it("rounds exact halves up and everything else to the nearest cent", () => {
    expect(mulDivRoundHalfUp(1, 1, 2)).toBe(1); // 0.5 → 1
    expect(mulDivRoundHalfUp(3, 1, 2)).toBe(2); // 1.5 → 2
    expect(mulDivRoundHalfUp(5, 1, 2)).toBe(3); // 2.5 → 3 (not banker's rounding)
    expect(mulDivRoundHalfUp(1, 1, 3)).toBe(0); // 0.33 → 0
    expect(mulDivRoundHalfUp(2, 1, 3)).toBe(1); // 0.67 → 1
    expect(mulDivRoundHalfUp(7200, 183, 365)).toBe(3610); // 3609.86
    expect(mulDivRoundHalfUp(7200, 10_300, 120_000)).toBe(618);
  });

  it("is exact for products beyond 2^53", () => {
    // 2^52 + 1 odd, times 3, halved: exactly x.5 → rounds up.
    const v = 2 ** 52 + 1;
    expect(mulDivRoundHalfUp(v, 3, 6)).toBe(Number((BigInt(v) * 3n) / 6n + 1n));
  });

  it("matches a BigInt half-up reference (property)", () => {
    fc.assert(
      fc.property(
        cents(1_000_000_000),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (value, n, d) => {
          expect(BigInt(mulDivRoundHalfUp(value, n, d))).toBe(referenceHalfUp(value, n, d));
        },
      ),
    );
  });

  it("is within half a cent of the exact quotient (property)", () => {
    fc.assert(
      fc.property(
        cents(),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 1, max: 100_000 }),
        (v, n, d) => {
          const r = BigInt(mulDivRoundHalfUp(v, n, d));
          const exact2d = 2n * BigInt(v) * BigInt(n); // 2 × exact × d
          const diff = 2n * r * BigInt(d) - exact2d; // 2d × (r − exact)
          expect(diff > -BigInt(d)).toBe(true); // r − exact > −1/2
          expect(diff <= BigInt(d)).toBe(true); // r − exact ≤ 1/2
        },
      ),
    );
  });

  it("refuses a result that is no longer an exact number of cents", () => {
    expect(() => mulDivRoundHalfUp(Number.MAX_SAFE_INTEGER, 2, 1)).toThrow(RangeError);
  });

  it("refuses negative operands, a zero denominator and fractional inputs", () => {
    expect(() => mulDivRoundHalfUp(-1, 1, 2)).toThrow(RangeError);
    expect(() => mulDivRoundHalfUp(1, -1, 2)).toThrow(RangeError);
    expect(() => mulDivRoundHalfUp(1, 1, 0)).toThrow(RangeError);
    expect(() => mulDivRoundHalfUp(1.5, 1, 2)).toThrow(RangeError);
    expect(() => mulDivRoundHalfUp(1, 0.5, 2)).toThrow(RangeError);
  });
});

describe("addBasisPoints and sum", () => {
  it("applies surcharges half up", () => {
    expect(addBasisPoints(7200, 300)).toBe(7416);
    expect(addBasisPoints(4800, 500)).toBe(5040);
    expect(addBasisPoints(1, 5000)).toBe(2); // 1.5 → 2
  });

  it("sums cents and refuses unsafe totals", () => {
    expect(sum([])).toBe(0);
    expect(sum([1, 2, 3])).toBe(6);
    expect(() => sum([Number.MAX_SAFE_INTEGER, 1])).toThrow(RangeError);
  });
});
