import { quote } from "../products/quote.ts";
import type {
  HouseholdType,
  PaymentFrequency,
  PaymentMethod,
  ProductDefinition,
} from "../products/schema.ts";
import type { IsoDate } from "../shared/dates.ts";
import { type Language, localeOf, longDate, money, t } from "../shared/i18n/index.ts";
import type { ScheduleContent } from "./model.ts";

/**
 * The policy schedule (polisblad) of one policy version, from plain data: who, what, from when,
 * the limits and deductibles in force for the household, the premium per installment with its
 * surcharge (priced by products/quote.ts, the same function that bills), how it is paid and the
 * mandate with its IBAN masked. Pure.
 */
export interface ScheduleInput {
  product: ProductDefinition;
  language: Language;
  insurer: string;
  policy: {
    number: string;
    version: number;
    startDate: IsoDate;
    endDate: IsoDate | null;
    /** The household bound with; the premium and limits shown are those of `inForce`. */
    household: HouseholdType;
    /** The household in force on `asOf`: what the premium and the limits below are for. */
    inForce: HouseholdType;
    householdChanges: { effectiveDate: IsoDate; household: HouseholdType }[];
    paymentFrequency: PaymentFrequency;
    paymentMethod: PaymentMethod;
  };
  holder: { name: string; email: string | null };
  /** The mandate in force; the IBAN is masked by the caller before it gets here. */
  mandate: { reference: string; maskedIban: string; accountHolder: string } | null;
  /** The date this version of the schedule speaks from (the start, or the latest change). */
  asOf: IsoDate;
  /** Application questions and answers, once the product asks any. */
  answers: { question: string; answer: string }[];
}

export function scheduleContent(input: ScheduleInput): ScheduleContent {
  const { product, language, policy } = input;
  const locale = localeOf(language, product.country);
  const say = (key: string, params: object = {}) => t(locale, `documents.schedule.${key}`, params);
  const household = (h: HouseholdType) => t(locale, `household.${h}`);
  const q = quote(product, {
    household: policy.inForce,
    paymentFrequency: policy.paymentFrequency,
    paymentMethod: policy.paymentMethod,
  });
  const percent = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(
    q.surchargeBasisPoints / 100,
  );
  const householdText = [
    household(policy.household),
    ...policy.householdChanges.map((c) =>
      say("householdChange", { date: c.effectiveDate, household: household(c.household) }),
    ),
  ].join("; ");
  const rows: [string, string][] = [
    [say("policyNumber"), policy.number],
    [say("holder"), input.holder.name],
    ...(input.holder.email ? [[say("email"), input.holder.email] as [string, string]] : []),
    [say("product"), say("productValue", { name: product.name[language], version: product.version })],
    [say("household"), householdText],
    [say("startDate"), longDate(locale, policy.startDate)],
    ...(policy.endDate ? [[say("endDate"), longDate(locale, policy.endDate)] as [string, string]] : []),
    [say("frequency"), t(locale, `documents.ipid.frequency.${policy.paymentFrequency}`)],
    [say("method"), t(locale, `documents.ipid.method.${policy.paymentMethod}`)],
    [say("installment"), say("installmentValue", { amount: q.installment, installments: q.installments })],
    [
      say("surcharge"),
      q.surcharge > 0 ? say("surchargeValue", { amount: q.surcharge, percent }) : say("noSurcharge"),
    ],
    [say("annualTotal"), money(locale, q.annualTotal)],
    [
      say("mandate"),
      input.mandate
        ? say("mandateValue", {
            reference: input.mandate.reference,
            iban: input.mandate.maskedIban,
            holder: input.mandate.accountHolder,
          })
        : say("noMandate"),
    ],
  ];
  const limits: [string, string][] = product.sections.map((s) => {
    const label = `${s.code}. ${s.name[language]}`;
    if (s.kind !== "indemnity") return [label, say("service")];
    return [
      label,
      say("limitValue", {
        annual: s.annualLimit[policy.inForce] ?? 0,
        perEvent: s.perEventLimit === null ? "" : say("perEvent", { amount: s.perEventLimit }),
        deductible: s.deductible,
      }),
    ];
  });
  return {
    layout: "schedule",
    language,
    locale,
    insurer: input.insurer,
    title: say("title"),
    subject: say("subject", { policyNumber: policy.number }),
    intro: say("intro", { date: input.asOf, version: policy.version }),
    date: input.asOf,
    rows,
    limitsTitle: say("limits"),
    limits,
    answersTitle: say("answers"),
    answers: input.answers.map((a) => [a.question, a.answer]),
    noAnswers: say("noAnswers"),
  };
}
