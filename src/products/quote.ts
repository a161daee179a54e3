import { AppError } from "../shared/errors.ts";
import { type Cents, mulDivRoundHalfUp } from "../shared/money.ts";
import type { HouseholdType, PaymentFrequency, PaymentMethod, ProductDefinition } from "./schema.ts";

export interface QuoteRequest {
  household: HouseholdType;
  paymentFrequency: PaymentFrequency;
  paymentMethod: PaymentMethod;
}

export interface Quote {
  productCode: string;
  productVersion: number;
  household: HouseholdType;
  paymentFrequency: PaymentFrequency;
  paymentMethod: PaymentMethod;
  /** The yearly premium before any installment surcharge. */
  annualPremium: Cents;
  surchargeBasisPoints: number;
  installment: Cents;
  installments: number;
  /** installment × installments: what the policyholder pays in a year, surcharge included. */
  annualTotal: Cents;
  /** annualTotal − annualPremium. */
  surcharge: Cents;
}

/** Refuses a household, frequency or payment method the product does not offer. */
export function checkTerms(product: ProductDefinition, req: QuoteRequest) {
  if (!product.households.includes(req.household)) {
    throw new AppError(
      "household_not_offered",
      `${product.code} is not offered for household ${req.household}`,
      [{ path: "household", message: `not offered by ${product.code}` }],
    );
  }
  const frequency = product.paymentFrequencies[req.paymentFrequency];
  if (!frequency) {
    throw new AppError(
      "frequency_not_offered",
      `${product.code} cannot be paid ${req.paymentFrequency}; offered: ${Object.keys(product.paymentFrequencies).join(", ")}`,
      [{ path: "paymentFrequency", message: "not offered by this product" }],
    );
  }
  // The frequency's own rule first: monthly without direct debit is refused as such, whatever the method.
  if (!frequency.paymentMethods.includes(req.paymentMethod)) {
    throw new AppError(
      frequency.refusedMethodError,
      `paying ${req.paymentFrequency} requires ${frequency.paymentMethods.join(" or ")}`,
      [
        {
          path: "paymentMethod",
          message: `${req.paymentFrequency} requires ${frequency.paymentMethods.join(" or ")}`,
        },
      ],
    );
  }
  if (!product.paymentMethods.includes(req.paymentMethod)) {
    throw new AppError(
      "payment_method_not_offered",
      `${product.code} cannot be paid by ${req.paymentMethod}`,
      [{ path: "paymentMethod", message: "not offered by this product" }],
    );
  }
  return frequency;
}

export function annualPremium(product: ProductDefinition, household: HouseholdType): Cents {
  const premium = product.tariff.premium[household];
  if (premium === undefined) {
    throw new AppError("household_not_offered", `${product.code} has no premium for household ${household}`);
  }
  return product.tariff.per === "month" ? premium * 12 : premium;
}

/** installment = round_half_up(annual × (1 + surcharge) / installments); annualTotal = installment × installments. */
export function quote(product: ProductDefinition, req: QuoteRequest): Quote {
  const frequency = checkTerms(product, req);
  const annual = annualPremium(product, req.household);
  const installment = mulDivRoundHalfUp(
    annual,
    10_000 + frequency.surchargeBasisPoints,
    10_000 * frequency.installments,
  );
  const annualTotal = installment * frequency.installments;
  return {
    productCode: product.code,
    productVersion: product.version,
    household: req.household,
    paymentFrequency: req.paymentFrequency,
    paymentMethod: req.paymentMethod,
    annualPremium: annual,
    surchargeBasisPoints: frequency.surchargeBasisPoints,
    installment,
    installments: frequency.installments,
    annualTotal,
    surcharge: annualTotal - annual,
  };
}
