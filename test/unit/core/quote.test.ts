import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultCatalog, PRODUCTS_DIR } from "../../../src/products/catalog.ts";
import { quote } from "../../../src/products/quote.ts";
import type { PaymentFrequency, PaymentMethod, ProductDefinition } from "../../../src/products/schema.ts";
import { productDefinition } from "../../../src/products/schema.ts";
import { AppError } from "../../../src/shared/errors.ts";

const nl = defaultCatalog().get("nl-cyber", 1);
const be = defaultCatalog().get("be-cyber-care", 1);

function refusal(f: () => unknown): AppError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error("expected the quote to be refused");
}

describe("quote nl-cyber", () => {
  const cases: [
    "single" | "family",
    PaymentFrequency,
    { installment: number; installments: number; annualTotal: number; annual: number },
  ][] = [
    ["single", "annual", { installment: 4800, installments: 1, annualTotal: 4800, annual: 4800 }],
    ["single", "half_yearly", { installment: 2520, installments: 2, annualTotal: 5040, annual: 4800 }],
    ["single", "quarterly", { installment: 1260, installments: 4, annualTotal: 5040, annual: 4800 }],
    ["single", "monthly", { installment: 412, installments: 12, annualTotal: 4944, annual: 4800 }],
    ["family", "annual", { installment: 7200, installments: 1, annualTotal: 7200, annual: 7200 }],
    ["family", "half_yearly", { installment: 3780, installments: 2, annualTotal: 7560, annual: 7200 }],
    ["family", "quarterly", { installment: 1890, installments: 4, annualTotal: 7560, annual: 7200 }],
    ["family", "monthly", { installment: 618, installments: 12, annualTotal: 7416, annual: 7200 }],
  ];
  it.each(cases)("%s %s", (household, paymentFrequency, expected) => {
    const q = quote(nl, { household, paymentFrequency, paymentMethod: "sepa_direct_debit" });
    expect(q).toMatchObject({
      productCode: "nl-cyber",
      productVersion: 1,
      household,
      paymentFrequency,
      installment: expected.installment,
      installments: expected.installments,
      annualTotal: expected.annualTotal,
      annualPremium: expected.annual,
      surcharge: expected.annualTotal - expected.annual,
    });
  });

  it("accepts bank transfer for every frequency but monthly", () => {
    for (const paymentFrequency of ["annual", "half_yearly", "quarterly"] as const) {
      expect(
        quote(nl, { household: "single", paymentFrequency, paymentMethod: "bank_transfer" }).installments,
      ).toBeGreaterThan(0);
    }
  });

  it("refuses monthly payment without direct debit", () => {
    const e = refusal(() =>
      quote(nl, { household: "family", paymentFrequency: "monthly", paymentMethod: "bank_transfer" }),
    );
    expect(e.code).toBe("monthly_requires_direct_debit");
    expect(e.issues[0]?.path).toBe("paymentMethod");
  });

  it("refuses the partner's invoice; paid monthly, the direct-debit rule speaks first", () => {
    for (const [paymentFrequency, code] of [
      ["annual", "payment_method_not_offered"],
      ["quarterly", "payment_method_not_offered"],
      ["monthly", "monthly_requires_direct_debit"],
    ] as const) {
      const e = refusal(() =>
        quote(nl, { household: "single", paymentFrequency, paymentMethod: "partner_invoice" }),
      );
      expect(e.code).toBe(code);
      expect(e.issues[0]?.path).toBe("paymentMethod");
    }
  });
});

describe("quote be-cyber-care", () => {
  it("is 4.99 a month, 59.88 a year, by direct debit or partner invoice", () => {
    for (const paymentMethod of ["sepa_direct_debit", "partner_invoice"] as const) {
      const q = quote(be, { household: "family", paymentFrequency: "monthly", paymentMethod });
      expect(q).toMatchObject({
        installment: 499,
        installments: 12,
        annualTotal: 5988,
        annualPremium: 5988,
        surcharge: 0,
        surchargeBasisPoints: 0,
      });
    }
  });

  it.each(["annual", "half_yearly", "quarterly"] as const)("refuses paying %s", (paymentFrequency) => {
    const e = refusal(() =>
      quote(be, { household: "family", paymentFrequency, paymentMethod: "sepa_direct_debit" }),
    );
    expect(e.code).toBe("frequency_not_offered");
    expect(e.issues[0]?.path).toBe("paymentFrequency");
  });

  it("refuses a single household", () => {
    const e = refusal(() =>
      quote(be, { household: "single", paymentFrequency: "monthly", paymentMethod: "sepa_direct_debit" }),
    );
    expect(e.code).toBe("household_not_offered");
    expect(e.issues[0]?.path).toBe("household");
  });

  it("refuses bank transfer", () => {
    const e = refusal(() =>
      quote(be, { household: "family", paymentFrequency: "monthly", paymentMethod: "bank_transfer" }),
    );
    expect(e.code).toBe("payment_method_not_offered");
  });
});

/** nl-cyber with a random tariff and surcharges, re-validated by the schema. */
function withTariff(
  single: number,
  family: number,
  bp: { half: number; quarter: number; month: number },
): ProductDefinition {
  const fmt = (c: number) => `${Math.trunc(c / 100)}.${String(c % 100).padStart(2, "0")}`;
  const raw = structuredClone(rawNl);
  raw.tariff.premium = { single: fmt(single), family: fmt(family) };
  raw.paymentFrequencies.half_yearly.surchargeBasisPoints = bp.half;
  raw.paymentFrequencies.quarterly.surchargeBasisPoints = bp.quarter;
  raw.paymentFrequencies.monthly.surchargeBasisPoints = bp.month;
  return productDefinition.parse(raw);
}

interface RawNl {
  tariff: { premium: Record<string, string> };
  paymentFrequencies: Record<"half_yearly" | "quarterly" | "monthly", { surchargeBasisPoints: number }>;
}
const rawNl = JSON.parse(readFileSync(join(PRODUCTS_DIR, "nl-cyber", "1.json"), "utf8")) as RawNl;

describe("quote properties", () => {
  it("annualTotal = installment × installments and is within installments cents of annual × (1 + surcharge)", () => {
    const methods: Record<PaymentFrequency, PaymentMethod> = {
      annual: "bank_transfer",
      half_yearly: "bank_transfer",
      quarterly: "sepa_direct_debit",
      monthly: "sepa_direct_debit",
    };
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.record({
          half: fc.integer({ min: 0, max: 10_000 }),
          quarter: fc.integer({ min: 0, max: 10_000 }),
          month: fc.integer({ min: 0, max: 10_000 }),
        }),
        fc.constantFrom("single" as const, "family" as const),
        fc.constantFrom<PaymentFrequency>("annual", "half_yearly", "quarterly", "monthly"),
        (single, family, bp, household, paymentFrequency) => {
          const product = withTariff(single, family, bp);
          const q = quote(product, { household, paymentFrequency, paymentMethod: methods[paymentFrequency] });
          const annual = household === "single" ? single : family;
          expect(q.annualPremium).toBe(annual);
          expect(q.annualTotal).toBe(q.installment * q.installments);
          expect(q.surcharge).toBe(q.annualTotal - annual);
          // |annualTotal − annual × (1 + bp/10000)| < installments, in exact integer arithmetic (× 10000).
          const exactTimes10k = annual * (10_000 + q.surchargeBasisPoints);
          expect(Math.abs(q.annualTotal * 10_000 - exactTimes10k)).toBeLessThan(q.installments * 10_000);
          // Each installment is rounded at most half a cent: the total is within installments/2 cents.
          expect(Math.abs(q.annualTotal * 10_000 - exactTimes10k) * 2).toBeLessThanOrEqual(
            q.installments * 10_000,
          );
        },
      ),
    );
  });
});
