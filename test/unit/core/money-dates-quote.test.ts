import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultCatalog } from "../../../src/products/catalog.ts";
import { checkTerms, quote } from "../../../src/products/quote.ts";
import {
  anniversary,
  dateIn,
  inRange,
  installmentPeriodOf,
  maxDate,
  minDate,
  parseDate,
  policyYearOf,
} from "../../../src/shared/dates.ts";
import { AppError, ValidationError } from "../../../src/shared/errors.ts";
import { money } from "../../../src/shared/i18n/index.ts";
import { assertCents, formatAmount, mulDivRoundHalfUp, parseAmount } from "../../../src/shared/money.ts";
import { cents, isoDate } from "../../support/arbitraries.ts";

/** Rules issue 17 found run by no unit test: signs and spaces of amounts, date helpers, product-wide refusals. */

const nbsp = (s: string) => s.replace(/ /g, "\u00a0");

describe("amounts as a reader sees them", () => {
  it("a credit of 1.06 keeps its minus sign in every language", () => {
    expect(formatAmount(-106)).toBe("-1.06");
    expect(money("nl-NL", -106)).toBe(nbsp("€ -1,06"));
    expect(money("fr-BE", -106)).toBe("-1,06\u00a0€");
    expect(money("en-IE", -106)).toBe("-€1.06");
  });

  it("a five-digit amount is grouped once: €12,345.00, € 12.345,00", () => {
    expect(money("en-IE", 1_234_500)).toBe("€12,345.00");
    expect(money("nl-NL", 1_234_500)).toBe(nbsp("€ 12.345,00"));
    expect(money("en-IE", -1_234_500)).toBe("-€12,345.00");
  });

  it("property: an English display round-trips through the parser", () => {
    fc.assert(
      fc.property(cents(999_999_999_999), (c) => {
        expect(parseAmount(money("en-IE", c).replace(/[€,]/g, ""))).toBe(c);
      }),
    );
  });

  it("an amount typed with surrounding spaces is read as the amount", () => {
    expect(parseAmount(" 12.30 ")).toBe(1230);
    expect(parseAmount("\t7\n")).toBe(700);
    expect(() => parseAmount(" -1.00 ")).toThrow(/must not be negative/);
  });
});

describe("the exact ratio behind every pro-rata amount", () => {
  it("zero cents of anything is zero", () => {
    expect(mulDivRoundHalfUp(0, 16, 31)).toBe(0);
    expect(mulDivRoundHalfUp(206, 0, 31)).toBe(0);
  });

  it("refuses a ratio that is not a whole number over a positive whole number, saying which", () => {
    expect(() => mulDivRoundHalfUp(100, 1, 0)).toThrow(new RangeError("invalid ratio 1/0"));
    expect(() => mulDivRoundHalfUp(100, 1, -2)).toThrow(new RangeError("invalid ratio 1/-2"));
    expect(() => mulDivRoundHalfUp(100, 1.5, 2)).toThrow(new RangeError("invalid ratio 1.5/2"));
    expect(() => mulDivRoundHalfUp(100, 1, 2.5)).toThrow(new RangeError("invalid ratio 1/2.5"));
  });

  it("refuses negative operands: signed amounts take their sign apart first", () => {
    const message = "mulDivRoundHalfUp expects non-negative operands";
    expect(() => mulDivRoundHalfUp(-206, 16, 31)).toThrow(new RangeError(message));
    expect(() => mulDivRoundHalfUp(206, -16, 31)).toThrow(new RangeError(message));
  });

  it("a fractional number of cents is refused with the number", () => {
    expect(() => assertCents(1.5)).toThrow(new RangeError("not an integer number of cents: 1.5"));
  });
});

function dateIssues(value: string, field?: string) {
  try {
    parseDate(value, field);
  } catch (e) {
    if (e instanceof ValidationError) return e.issues;
    throw e;
  }
  throw new Error(`${value} accepted`);
}

describe("dates typed in", () => {
  it("accepts 1900-01-01 to 2999-12-31, both included, and refuses a day outside saying the range", () => {
    expect(parseDate("1900-01-01")).toBe("1900-01-01");
    expect(parseDate("2999-12-31")).toBe("2999-12-31");
    expect(dateIssues("1899-12-31")).toEqual([
      { path: "date", message: 'must lie between 1900-01-01 and 2999-12-31 (got "1899-12-31")' },
    ]);
    expect(dateIssues("3000-01-01", "startDate")).toEqual([
      { path: "startDate", message: 'must lie between 1900-01-01 and 2999-12-31 (got "3000-01-01")' },
    ]);
  });

  it("says whether the form or the calendar is wrong", () => {
    expect(dateIssues("1-3-2026")).toEqual([
      { path: "date", message: 'must be a date YYYY-MM-DD (got "1-3-2026")' },
    ]);
    expect(dateIssues("2026-02-30", "incidentDate")).toEqual([
      { path: "incidentDate", message: 'is not a calendar date (got "2026-02-30")' },
    ]);
  });
});

describe("anniversaries and policy years", () => {
  it("the 1 March rule only moves a 29 February start", () => {
    expect(anniversary("2026-01-31", 1, "mar1")).toBe("2027-01-31");
    expect(anniversary("2026-02-28", 1, "mar1")).toBe("2027-02-28");
    expect(anniversary("2024-02-29", 1, "mar1")).toBe("2025-03-01");
    expect(anniversary("2024-02-29", 4, "mar1")).toBe("2028-02-29");
    expect(anniversary("2024-02-29", 1, "feb28")).toBe("2025-02-28");
  });

  it("a date before the start or outside the year is a programming error naming both", () => {
    expect(() => policyYearOf("2026-03-01", "2026-02-28", "feb28")).toThrow(
      new RangeError("2026-02-28 lies before the policy start 2026-03-01"),
    );
    expect(() => installmentPeriodOf("2026-01-01", "2027-01-01", 12, "2027-01-01")).toThrow(
      new RangeError("2027-01-01 lies outside the policy year 2026-01-01..2027-01-01"),
    );
  });
});

describe("date helpers", () => {
  it("minDate and maxDate pick the earlier and the later date", () => {
    expect(minDate("2026-03-01", "2026-02-28")).toBe("2026-02-28");
    expect(minDate("2026-02-28", "2026-03-01")).toBe("2026-02-28");
    expect(maxDate("2026-02-28", "2026-03-01")).toBe("2026-03-01");
    fc.assert(
      fc.property(isoDate(), isoDate(), (a, b) => {
        expect([minDate(a, b), maxDate(a, b)].sort()).toEqual([a, b].sort());
      }),
    );
  });

  it("a range includes its first day and excludes its end", () => {
    const march = { start: "2026-03-01", end: "2026-04-01" };
    expect(inRange("2026-02-28", march)).toBe(false);
    expect(inRange("2026-03-01", march)).toBe(true);
    expect(inRange("2026-03-31", march)).toBe(true);
    expect(inRange("2026-04-01", march)).toBe(false);
  });

  it("an instant is booked on the calendar date of the product's time zone", () => {
    // 23:30 UTC on 31 December is already 1 January in Amsterdam and Brussels.
    const instant = new Date("2026-12-31T23:30:00Z");
    expect(dateIn(instant, "Europe/Amsterdam")).toBe("2027-01-01");
    expect(dateIn(instant, "Europe/Brussels")).toBe("2027-01-01");
    expect(dateIn(instant, "UTC")).toBe("2026-12-31");
    expect(dateIn(new Date("2026-07-01T21:59:59Z"), "Europe/Amsterdam")).toBe("2026-07-01");
    expect(dateIn(new Date("2026-07-01T22:00:00Z"), "Europe/Amsterdam")).toBe("2026-07-02");
  });
});

describe("payment methods a product refuses", () => {
  const nl = defaultCatalog().get("nl-cyber", 1);
  /** A product version that takes only direct debit, though its annual frequency would allow a transfer. */
  const debitOnly = { ...nl, paymentMethods: ["sepa_direct_debit" as const] };

  it("a method the product does not take is refused even when the frequency allows it", () => {
    const req = {
      household: "single" as const,
      paymentFrequency: "annual" as const,
      paymentMethod: "bank_transfer" as const,
    };
    expect(quote(nl, req).installment).toBe(4800);
    let error: unknown;
    try {
      checkTerms(debitOnly, req);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("payment_method_not_offered");
    expect((error as AppError).message).toBe("nl-cyber cannot be paid by bank_transfer");
  });

  it("monthly by transfer is refused by the frequency's own rule first", () => {
    const req = {
      household: "single" as const,
      paymentFrequency: "monthly" as const,
      paymentMethod: "bank_transfer" as const,
    };
    expect(() => checkTerms(debitOnly, req)).toThrow(
      expect.objectContaining({ code: "monthly_requires_direct_debit" }),
    );
  });
});

describe("what a refused quote says", () => {
  const catalog = defaultCatalog();
  const nl = catalog.get("nl-cyber", 1);
  const be = catalog.get("be-cyber-care", 1);
  function refusal(product: typeof nl, req: Parameters<typeof quote>[1]): AppError {
    try {
      quote(product, req);
    } catch (e) {
      if (e instanceof AppError) return e;
      throw e;
    }
    throw new Error("not refused");
  }
  const shape = (e: AppError) => ({ code: e.code, message: e.message, issues: e.issues });

  it("a household the product does not offer names the product and the household", () => {
    const e = refusal(be, {
      household: "single",
      paymentFrequency: "monthly",
      paymentMethod: "sepa_direct_debit",
    });
    expect(shape(e)).toEqual({
      code: "household_not_offered",
      message: "be-cyber-care is not offered for household single",
      issues: [{ path: "household", message: "not offered by be-cyber-care" }],
    });
  });

  it("a frequency the product does not offer lists the ones it does", () => {
    const e = refusal(be, {
      household: "family",
      paymentFrequency: "annual",
      paymentMethod: "sepa_direct_debit",
    });
    expect(shape(e)).toEqual({
      code: "frequency_not_offered",
      message: "be-cyber-care cannot be paid annual; offered: monthly",
      issues: [{ path: "paymentFrequency", message: "not offered by this product" }],
    });
  });

  it("lists every frequency offered", () => {
    const { monthly: _, ...others } = nl.paymentFrequencies;
    const e = refusal(
      { ...nl, paymentFrequencies: others },
      { household: "single", paymentFrequency: "monthly", paymentMethod: "sepa_direct_debit" },
    );
    expect(e.message).toBe("nl-cyber cannot be paid monthly; offered: annual, half_yearly, quarterly");
  });

  it("monthly by transfer says which methods monthly takes", () => {
    const e = refusal(nl, {
      household: "single",
      paymentFrequency: "monthly",
      paymentMethod: "bank_transfer",
    });
    expect(shape(e)).toEqual({
      code: "monthly_requires_direct_debit",
      message: "paying monthly requires sepa_direct_debit",
      issues: [{ path: "paymentMethod", message: "monthly requires sepa_direct_debit" }],
    });
    const twoWays = { ...be, paymentMethods: ["sepa_direct_debit" as const] };
    const e2 = refusal(twoWays, {
      household: "family",
      paymentFrequency: "monthly",
      paymentMethod: "bank_transfer",
    });
    expect(e2.message).toBe("paying monthly requires sepa_direct_debit or partner_invoice");
    expect(e2.issues).toEqual([
      { path: "paymentMethod", message: "monthly requires sepa_direct_debit or partner_invoice" },
    ]);
  });

  it("a method only the frequency takes is refused on the payment method", () => {
    const debitOnly = { ...nl, paymentMethods: ["sepa_direct_debit" as const] };
    const e = refusal(debitOnly, {
      household: "single",
      paymentFrequency: "annual",
      paymentMethod: "bank_transfer",
    });
    expect(e.issues).toEqual([{ path: "paymentMethod", message: "not offered by this product" }]);
  });

  it("a household offered without a premium in the tariff is refused, not priced at nothing", () => {
    const noSingle = { ...nl, tariff: { per: "year" as const, premium: { family: 7200 } } };
    const e = refusal(noSingle, {
      household: "single",
      paymentFrequency: "annual",
      paymentMethod: "bank_transfer",
    });
    expect({ code: e.code, message: e.message }).toEqual({
      code: "household_not_offered",
      message: "nl-cyber has no premium for household single",
    });
  });
});
