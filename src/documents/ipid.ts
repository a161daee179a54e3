import {
  type CardTexts,
  indemnitySections,
  type PaymentFrequency,
  type ProductDefinition,
} from "../products/schema.ts";
import { AppError } from "../shared/errors.ts";
import { type Language, listOf, localeOf, t } from "../shared/i18n/index.ts";
import type { Fonts } from "./fonts.ts";
import { type Icon, renderPdf } from "./pdf.ts";

/**
 * The IPID / Verzekeringskaart of one product version in one language, laid out as Commission
 * Implementing Regulation (EU) 2017/1469 asks: title, insurer (name, Member State, authorisation),
 * product, the statement that the full terms are elsewhere, then the nine headings in their fixed
 * order. The prose comes from the product's `card`; every amount (limits, deductibles, premium,
 * surcharges) and the default term come from the fields that price policies and decide claims.
 */
export const IPID_HEADINGS = [
  "type",
  "insured",
  "notInsured",
  "restrictions",
  "where",
  "obligations",
  "payment",
  "term",
  "cancellation",
] as const;
export type IpidHeading = (typeof IPID_HEADINGS)[number];

export interface IpidItem {
  icon: Icon | null;
  /** A bold lead-in ("C. Schade door hacking"), or "" */
  lead: string;
  text: string;
}

export interface IpidContent {
  language: Language;
  locale: string;
  title: string;
  insurer: string;
  product: string;
  statement: string;
  sections: { heading: IpidHeading; title: string; items: IpidItem[] }[];
}

/** The languages a version's IPID is published in: the languages its `card` is written in. */
export function ipidLanguages(product: ProductDefinition): Language[] {
  return (["nl", "fr", "en"] as const).filter((l) => product.card[l] !== undefined);
}

function cardIn(product: ProductDefinition, language: Language): CardTexts {
  const card = product.card[language];
  if (!card) {
    throw new AppError(
      "language_not_offered",
      `the IPID of ${product.code} version ${product.version} is not published in ${language}; it is in ${ipidLanguages(product).join(", ")}`,
      [{ path: "lang", message: `not one of ${ipidLanguages(product).join(", ")}` }],
    );
  }
  return card;
}

export function ipidContent(product: ProductDefinition, language: Language): IpidContent {
  const card = cardIn(product, language);
  const locale = localeOf(language, product.country);
  const say = (key: string, params: object = {}) => t(locale, `documents.ipid.${key}`, params);
  const item = (icon: Icon | null, text: string, lead = ""): IpidItem => ({ icon, lead, text });
  const codes = (list: readonly string[]) => listOf(locale, list);

  const insured = product.sections.map((s) => {
    const text = card.sections[s.code] ?? s.description[language];
    if (s.kind !== "indemnity")
      return item("check_green", `${text} ${say("noLimit")}`, `${s.code}. ${s.name[language]}`);
    const annual = product.households.map((h) =>
      say("limit.annual", { amount: s.annualLimit[h], household: t(locale, `household.${h}`) }),
    );
    const perEvent = s.perEventLimit === null ? [] : [say("limit.perEvent", { amount: s.perEventLimit })];
    return item(
      "check_green",
      `${text} ${say("limit.line", { limits: codes([...annual, ...perEvent]) })}`,
      `${s.code}. ${s.name[language]}`,
    );
  });

  // Deductibles grouped by amount, in section order: "€ 50 voor C, D, E en F; € 100 voor G en H".
  const byDeductible = new Map<number, string[]>();
  const none: string[] = [];
  for (const s of product.sections) {
    if (s.kind !== "indemnity" || s.deductible === 0) none.push(s.code);
    else byDeductible.set(s.deductible, [...(byDeductible.get(s.deductible) ?? []), s.code]);
  }
  const deductibles = [...byDeductible].map(([amount, list]) =>
    say("deductible.amount", { amount, sections: codes(list) }),
  );
  if (none.length > 0) deductibles.push(say("deductible.none", { sections: codes(none) }));

  // Evidence a payout waits for, per item, with the sections that ask for it.
  const evidence = new Map<string, string[]>();
  for (const s of indemnitySections(product)) {
    const items = new Set([...s.evidence, ...Object.values(s.lossKinds).flatMap((r) => r.evidence)]);
    for (const e of items) evidence.set(e, [...(evidence.get(e) ?? []), s.code]);
  }
  const evidenceLines = [...evidence].map(([code, list]) =>
    say("evidence", { evidence: product.evidence[code]?.name[language] ?? code, sections: codes(list) }),
  );

  const premium = product.households.map((h) =>
    say(`premium.${product.tariff.per}`, {
      amount: product.tariff.premium[h],
      household: t(locale, `household.${h}`),
    }),
  );
  const frequencies = (
    Object.entries(product.paymentFrequencies) as [
      PaymentFrequency,
      NonNullable<ProductDefinition["paymentFrequencies"][PaymentFrequency]>,
    ][]
  ).map(([f, rule]) => {
    const methods = listOf(
      locale,
      rule.paymentMethods.map((m) => say(`method.${m}`)),
    );
    const frequency = say(`frequency.${f}`);
    return rule.surchargeBasisPoints === 0
      ? say("frequencyPlain", { frequency, methods })
      : say("frequencySurcharge", {
          frequency,
          methods,
          percent: new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(
            rule.surchargeBasisPoints / 100,
          ),
        });
  });
  const term = product.premiumDefault.suspendAfterDays - 1;

  const sections: IpidContent["sections"] = [
    { heading: "type", title: "", items: [item(null, card.typeOfInsurance)] },
    { heading: "insured", title: "", items: [...card.whatIsInsured.map((x) => item(null, x)), ...insured] },
    { heading: "notInsured", title: "", items: card.whatIsNotInsured.map((x) => item("cross_red", x)) },
    {
      heading: "restrictions",
      title: "",
      items: [
        ...card.restrictions.map((x) => item("warn_orange", x)),
        item("warn_orange", `${deductibles.join("; ")}.`, say("deductible.lead")),
        ...evidenceLines.map((x) => item("warn_orange", x)),
      ],
    },
    { heading: "where", title: "", items: [item("check_blue", card.territory)] },
    { heading: "obligations", title: "", items: card.obligations.map((x) => item(null, `– ${x}`)) },
    {
      heading: "payment",
      title: "",
      items: [
        item(null, say("premium.line", { amounts: codes(premium) })),
        item(null, card.payment),
        ...frequencies.map((x) => item(null, `– ${x}`)),
      ],
    },
    {
      heading: "term",
      title: "",
      items: [
        item(null, card.term),
        item(
          null,
          say(`default.${product.premiumDefault.notice}`, {
            term,
            days: product.premiumDefault.suspendAfterDays,
          }),
        ),
      ],
    },
    { heading: "cancellation", title: "", items: [item(null, card.cancellation)] },
  ];
  for (const s of sections) s.title = say(`heading.${s.heading}`);
  return {
    language,
    locale,
    title: say("title"),
    insurer: say("insurer", {
      name: product.insurer.name,
      memberState: product.insurer.memberState[language],
      authorisation: product.insurer.authorisation[language],
    }),
    product: `${say("product")}: ${card.title}`,
    statement: card.summary,
    sections,
  };
}

/** The IPID as PDF: A4, at most two pages for the shipped products (tested with pdfinfo). */
export function renderIpid(product: ProductDefinition, language: Language, fonts: Fonts): Promise<Buffer> {
  const c = ipidContent(product, language);
  const meta = {
    title: `${c.title} – ${product.name[language]}`,
    author: product.insurer.name,
    subject: `${product.code} v${product.version}`,
    lang: c.locale,
    date: new Date(`${product.validFrom}T00:00:00Z`),
  };
  return renderPdf(meta, fonts, (w) => {
    w.title(c.title, 14);
    w.line(c.insurer, { size: 8.5 });
    w.line(c.product, { bold: true, size: 10 });
    w.gap(0.3);
    w.paragraph(c.statement);
    for (const s of c.sections) {
      w.heading(s.title);
      for (const i of s.items) {
        if (i.icon) w.bullet(i.icon, i.text, i.lead);
        else w.paragraph(i.lead ? `${i.lead}: ${i.text}` : i.text);
      }
    }
  });
}
