import { z } from "zod";
import { LANGUAGES } from "../shared/i18n/index.ts";
import { parseAmount } from "../shared/money.ts";
import { assistanceTerms } from "./assistance-schema.ts";

/** Decimal euro string in product data, turned into cents at load. */
const amount = z
  .string()
  .regex(/^\d{1,13}(\.\d{1,2})?$/, "must be a decimal euro amount with at most two decimals")
  .transform((v) => parseAmount(v));

const code = z.string().regex(/^[a-z][a-z0-9_]*$/, "must be a snake_case code");
const isoDate = z.iso.date();

/** Every customer-facing text of a product exists in the three languages the platform writes. */
export const texts = z
  .object({ nl: z.string().min(1), fr: z.string().min(1), en: z.string().min(1) })
  .strict();
export const language = z.enum(LANGUAGES);

export const householdType = z.enum(["single", "family"]);
export const paymentFrequency = z.enum(["annual", "half_yearly", "quarterly", "monthly"]);
export const paymentMethod = z.enum(["sepa_direct_debit", "bank_transfer", "partner_invoice"]);

const factCondition = z.object({ fact: z.string().min(1), rejectAs: code }).strict();

const lossKindRule = z
  .object({
    /** The line is only accepted when this fact is true (e.g. prior consent to pay a ransom). */
    requiresFact: factCondition.optional(),
    /** The line is rejected when this fact is true (e.g. the bank already reimbursed it). */
    rejectIfFact: factCondition.optional(),
    /** Evidence needed before an accepted line of this kind can be paid. */
    evidence: z.array(code).default([]),
  })
  .strict();

const serviceSection = z
  .object({
    code: z.string().regex(/^[A-Z]$/),
    kind: z.literal("service"),
    name: texts,
    description: texts,
  })
  .strict();

const indemnitySection = z
  .object({
    code: z.string().regex(/^[A-Z]$/),
    kind: z.literal("indemnity"),
    name: texts,
    description: texts,
    perils: z.array(code).min(1),
    /** Limit per policy year, per household type. */
    annualLimit: z.partialRecord(householdType, amount),
    perEventLimit: amount.nullable(),
    deductible: amount,
    lossKinds: z.record(code, lossKindRule),
    /** Loss kinds this section names and refuses with a specific reason (e.g. self-employed income). */
    rejectedLossKinds: z.record(code, code).default({}),
    evidence: z.array(code).default([]),
  })
  .strict();

export const section = z.discriminatedUnion("kind", [serviceSection, indemnitySection]);

const frequencyRule = z
  .object({
    installments: z.union([z.literal(1), z.literal(2), z.literal(4), z.literal(12)]),
    surchargeBasisPoints: z.number().int().min(0).max(10_000),
    paymentMethods: z.array(paymentMethod).min(1),
    /** Error code when a payment method outside `paymentMethods` is asked for. */
    refusedMethodError: code.default("payment_method_not_offered"),
  })
  .strict();

/**
 * The product's information document (IPID, Verzekeringskaart) in one language: the prose the
 * insurer writes. Amounts are never in it: limits, deductibles, premiums, surcharges and the
 * default term are printed from the same fields that price policies and decide claims.
 */
const cardTexts = z
  .object({
    title: z.string().min(1),
    summary: z.string().min(1),
    typeOfInsurance: z.string().min(1),
    whatIsInsured: z.array(z.string().min(1)).min(1),
    /** A longer text per section code than the section's own description (optional). */
    sections: z.record(z.string().regex(/^[A-Z]$/), z.string().min(1)).default({}),
    whatIsNotInsured: z.array(z.string().min(1)).min(1),
    restrictions: z.array(z.string().min(1)),
    territory: z.string().min(1),
    obligations: z.array(z.string().min(1)).min(1),
    payment: z.string().min(1),
    term: z.string().min(1),
    cancellation: z.string().min(1),
  })
  .strict();

export const productDefinition = z
  .object({
    code: z.string().regex(/^[a-z][a-z0-9-]*$/),
    version: z.number().int().positive(),
    name: texts,
    country: z.enum(["NL", "BE"]),
    currency: z.literal("EUR"),
    timeZone: z.string().min(1),
    validFrom: isoDate,
    /**
     * How many days before the day of binding staff may start a policy (a policyholder never
     * backdates). Never before validFrom either way.
     */
    maxBackdatingDays: z.number().int().nonnegative(),
    households: z.array(householdType).min(1),
    /** The languages a policyholder may choose at bind time, and the one they get if they choose none. */
    languages: z.object({ offered: z.array(language).min(1), default: language }).strict(),
    leapDayAnniversary: z.enum(["feb28", "mar1"]),
    tariff: z
      .object({
        per: z.enum(["year", "month"]),
        premium: z.partialRecord(householdType, amount),
      })
      .strict(),
    paymentMethods: z.array(paymentMethod).min(1),
    paymentFrequencies: z.partialRecord(paymentFrequency, frequencyRule),
    sections: z.array(section).min(1),
    neverCoveredLossKinds: z.record(code, code),
    exclusions: z.record(code, texts),
    evidence: z.record(code, z.object({ fact: z.string().min(1), name: texts }).strict()),
    premiumDefault: z
      .object({
        notice: z.enum(["reminder", "formal_notice"]),
        /** Cover is suspended from this many days after the notice date if the premium is still unpaid. */
        suspendAfterDays: z.number().int().positive(),
        legalBasis: texts,
      })
      .strict(),
    cancellation: z
      .object({
        refund: z.literal("pro_rata_days"),
        /** The effective date is never before the day the request was received. */
        notBeforeRequest: z.boolean(),
      })
      .strict(),
    /** Where a policyholder who disagrees turns: the insurer's desk first, then the ombudsman. */
    complaints: z.object({ desk: texts, ombudsman: texts }).strict(),
    /** The helpline, ransom consent, content removal and risk tool (src/assistance). */
    assistance: assistanceTerms.optional(),
    /** Who carries the risk, as the IPID's header names it (Regulation (EU) 2017/1469, art. 4). */
    insurer: z.object({ name: z.string().min(1), memberState: texts, authorisation: texts }).strict(),
    /** The IPID per language it is published in (nl always; fr and en where the product has them). */
    card: z.object({ nl: cardTexts, fr: cardTexts.optional(), en: cardTexts.optional() }).strict(),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (!p.languages.offered.includes(p.languages.default)) {
      ctx.addIssue({
        code: "custom",
        path: ["languages", "default"],
        message: `the default language ${p.languages.default} is not one the product offers`,
      });
    }
    const sectionCodes = new Set<string>();
    const perils = new Set<string>();
    p.sections.forEach((s, i) => {
      if (sectionCodes.has(s.code)) {
        ctx.addIssue({
          code: "custom",
          path: ["sections", i, "code"],
          message: `duplicate section ${s.code}`,
        });
      }
      sectionCodes.add(s.code);
      if (s.kind !== "indemnity") return;
      for (const h of p.households) {
        if (s.annualLimit[h] === undefined) {
          ctx.addIssue({
            code: "custom",
            path: ["sections", i, "annualLimit", h],
            message: `missing annual limit for household ${h}`,
          });
        }
      }
      for (const peril of s.perils) {
        if (perils.has(peril)) {
          ctx.addIssue({
            code: "custom",
            path: ["sections", i, "perils"],
            message: `peril ${peril} in two sections`,
          });
        }
        perils.add(peril);
      }
      // Each reference carries the path of the field it sits in, so the error names that field.
      const evidenceRefs: [string, (string | number)[]][] = [
        ...s.evidence.map((e): [string, (string | number)[]] => [e, ["sections", i, "evidence"]]),
        ...Object.entries(s.lossKinds).flatMap(([kind, rule]) =>
          rule.evidence.map((e): [string, (string | number)[]] => [
            e,
            ["sections", i, "lossKinds", kind, "evidence"],
          ]),
        ),
      ];
      for (const [e, path] of evidenceRefs) {
        if (!(e in p.evidence)) {
          ctx.addIssue({ code: "custom", path, message: `unknown evidence item ${e}` });
        }
      }
    });
    for (const h of p.households) {
      if (p.tariff.premium[h] === undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["tariff", "premium", h],
          message: `missing premium for household ${h}`,
        });
      }
    }
    for (const [f, rule] of Object.entries(p.paymentFrequencies)) {
      for (const m of rule?.paymentMethods ?? []) {
        if (!p.paymentMethods.includes(m)) {
          ctx.addIssue({
            code: "custom",
            path: ["paymentFrequencies", f, "paymentMethods"],
            message: `method ${m} is not one of the product's payment methods`,
          });
        }
      }
    }
  });

export type ProductDefinition = z.output<typeof productDefinition>;
export type Section = z.output<typeof section>;
export type IndemnitySection = Extract<Section, { kind: "indemnity" }>;
export type HouseholdType = z.output<typeof householdType>;
export type PaymentFrequency = z.output<typeof paymentFrequency>;
export type PaymentMethod = z.output<typeof paymentMethod>;
export type Texts = z.output<typeof texts>;
export type LossKindRule = z.output<typeof lossKindRule>;
export type CardTexts = z.output<typeof cardTexts>;

/** The sections that pay money (as opposed to services such as the helpline). */
export function indemnitySections(p: ProductDefinition): IndemnitySection[] {
  return p.sections.filter((s): s is IndemnitySection => s.kind === "indemnity");
}
