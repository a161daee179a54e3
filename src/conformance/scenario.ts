import { z } from "zod";
import { householdType, paymentFrequency, paymentMethod } from "../products/index.ts";
import { helplineCaseStep, ransomConsentStep } from "./assistance-steps.ts";

/** Dates and amounts stay strings here: the services validate them, so a bad value is a step error that names the field. */
const date = z.string().min(1);
const amount = z.union([z.string(), z.number()]).transform(String);
const facts = z.record(z.string(), z.unknown());
const errorExpect = z.object({ error: z.string().min(1) }).strict();

const decisionExpect = z.union([
  z
    .object({
      outcome: z.enum(["approved", "denied", "needs_information"]),
      payout: amount.optional(),
      reasons: z.array(z.string()).optional(),
      missing: z.array(z.string()).optional(),
    })
    .strict(),
  errorExpect,
]);

const quoteStep = z
  .object({
    do: z.literal("quote"),
    household: householdType.optional(),
    paymentFrequency: paymentFrequency.optional(),
    paymentMethod: paymentMethod.optional(),
    expect: z
      .union([
        z
          .object({
            installment: amount.optional(),
            installments: z.number().int().optional(),
            annualTotal: amount.optional(),
          })
          .strict(),
        errorExpect,
      ])
      .optional(),
  })
  .strict();

const claimStep = z
  .object({
    do: z.literal("claim"),
    id: z.string().min(1),
    peril: z.string(),
    incidentDate: date,
    reportedDate: date.optional(),
    losses: z.array(z.object({ kind: z.string(), amount, paidOn: date.optional() }).strict()),
    facts: facts.default({}),
    expect: decisionExpect.optional(),
  })
  .strict();

const supplyStep = z
  .object({
    do: z.literal("supply"),
    claim: z.string().min(1),
    facts,
    date,
    expect: decisionExpect.optional(),
  })
  .strict();

const changeHouseholdStep = z
  .object({
    do: z.literal("change_household"),
    date,
    household: householdType,
    expect: errorExpect.optional(),
  })
  .strict();

const cancelStep = z
  .object({
    do: z.literal("cancel"),
    requestedOn: date,
    effective: date,
    expect: z
      .union([
        z.object({ effective: z.string().optional(), refund: amount.optional() }).strict(),
        errorExpect,
      ])
      .optional(),
  })
  .strict();

const reminderStep = z
  .object({
    do: z.literal("premium_reminder"),
    dueDate: date,
    reminderDate: date,
    amount: amount.optional(),
    expect: errorExpect.optional(),
  })
  .strict();

const paidStep = z
  .object({ do: z.literal("premium_paid"), date, amount: amount.optional(), expect: errorExpect.optional() })
  .strict();

export const step = z.discriminatedUnion("do", [
  quoteStep,
  claimStep,
  supplyStep,
  changeHouseholdStep,
  cancelStep,
  reminderStep,
  paidStep,
  helplineCaseStep,
  ransomConsentStep,
]);

export const scenario = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    product: z.string().min(1),
    household: householdType,
    start: date,
    paymentFrequency: paymentFrequency,
    paymentMethod: paymentMethod.default("sepa_direct_debit"),
    steps: z.array(step),
  })
  .strict();

export type Scenario = z.output<typeof scenario>;
export type Step = z.output<typeof step>;
