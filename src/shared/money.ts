import { ValidationError } from "./errors.ts";

/**
 * Money is always an integer number of euro cents. Numbers stay far below 2^53, so a plain
 * `number` is exact; every division goes through BigInt so rounding is explicit.
 */
export type Cents = number;

const AMOUNT = /^(\d{1,13})(?:\.(\d{1,2}))?$/;

/** Parses a decimal euro string ("12.34", "12.3", "12") into cents; rejects negatives and >2 decimals. */
export function parseAmount(value: string, field = "amount"): Cents {
  const trimmed = value.trim();
  if (trimmed.startsWith("-")) {
    throw new ValidationError([{ path: field, message: `must not be negative (got "${value}")` }]);
  }
  const m = AMOUNT.exec(trimmed);
  if (!m) {
    throw new ValidationError([
      { path: field, message: `must be a decimal amount with at most two decimals (got "${value}")` },
    ]);
  }
  const euros = Number(m[1]);
  const fraction = (m[2] ?? "").padEnd(2, "0");
  return euros * 100 + Number(fraction);
}

/** Formats cents as a decimal euro string with two decimals ("1234.50"). */
export function formatAmount(cents: Cents): string {
  assertCents(cents);
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  const euros = Math.trunc(abs / 100);
  const rest = abs % 100;
  return `${sign}${euros}.${rest.toString().padStart(2, "0")}`;
}

export function assertCents(value: number): asserts value is Cents {
  if (!Number.isSafeInteger(value)) throw new RangeError(`not an integer number of cents: ${value}`);
}

/** round_half_up(value × numerator / denominator) for non-negative operands, exact. */
export function mulDivRoundHalfUp(value: Cents, numerator: number, denominator: number): Cents {
  assertCents(value);
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator) || denominator <= 0) {
    throw new RangeError(`invalid ratio ${numerator}/${denominator}`);
  }
  if (value < 0 || numerator < 0) throw new RangeError("mulDivRoundHalfUp expects non-negative operands");
  const n = BigInt(value) * BigInt(numerator);
  const d = BigInt(denominator);
  const q = n / d;
  const r = n % d;
  const result = Number(r * 2n >= d ? q + 1n : q);
  assertCents(result);
  return result;
}

/** Applies a surcharge in basis points (300 = 3%), rounding half up to the cent. */
export function addBasisPoints(value: Cents, basisPoints: number): Cents {
  return mulDivRoundHalfUp(value, 10_000 + basisPoints, 10_000);
}

export function sum(values: readonly Cents[]): Cents {
  let total = 0;
  for (const v of values) total += v;
  assertCents(total);
  return total;
}
