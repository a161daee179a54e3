import { type ExplainedDecision, explainDecision } from "../claims/explain.ts";
import type { ProductDefinition } from "../products/schema.ts";
import type { IsoDate } from "../shared/dates.ts";
import { type Language, localeOf, t } from "../shared/i18n/index.ts";
import type { Cents } from "../shared/money.ts";
import type { Block, LetterContent } from "./model.ts";

/**
 * The letters' content in words, from plain data. Pure: each builder gives the content that is
 * stored with the letter and rendered by render.ts, in the policyholder's language throughout.
 */
export interface LetterHead {
  language: Language;
  /** The product's country: nl-NL or nl-BE dates and amounts. */
  country: string;
  insurer: string;
  recipient: string;
  policyNumber: string;
  date: IsoDate;
}

function letter(h: LetterHead, subject: string, blocks: Block[]): LetterContent {
  const locale = localeOf(h.language, h.country);
  return {
    layout: "letter",
    language: h.language,
    locale,
    insurer: h.insurer,
    recipient: h.recipient,
    dateLine: t(locale, "documents.letter.date", { date: h.date }),
    policyLine: t(locale, "documents.letter.policy", { policyNumber: h.policyNumber }),
    subject,
    date: h.date,
    blocks,
  };
}

const p = (text: string): Block => ({ kind: "p", text });

/** Greeting, the paragraphs, closing: the frame of every letter written here. */
function framed(h: LetterHead, paragraphs: string[]): Block[] {
  const locale = localeOf(h.language, h.country);
  return [
    p(t(locale, "documents.greeting", { recipient: h.recipient })),
    ...paragraphs.map(p),
    p(t(locale, "documents.closing", { insurer: h.insurer })),
  ];
}

/**
 * A letter billing already wrote in words (reminder, formal notice, charge pre-notification or
 * payment request, `premium_letters`): its paragraphs as billing composed them.
 */
export function textLetter(h: LetterHead, subject: string, body: string): LetterContent {
  return letter(
    h,
    subject,
    body.split(/\n{2,}/).map((para) => p(para.trim())),
  );
}

/** The claim decision: outcome, payout, the explanation step by step, what next, where to complain. */
export function decisionLetter(
  h: LetterHead & { product: ProductDefinition; claimNumber: string; incidentDate: IsoDate },
  decision: ExplainedDecision,
): LetterContent {
  const locale = localeOf(h.language, h.country);
  const say = (key: string, params: object = {}) => t(locale, `documents.decision.${key}`, params);
  const explained = explainDecision(h.product, h.language, decision);
  const blocks: Block[] = [
    p(t(locale, "documents.greeting", { recipient: h.recipient })),
    p(
      say("outcome", {
        claimNumber: h.claimNumber,
        incidentDate: h.incidentDate,
        outcome: say(`outcomeWord.${decision.outcome}`),
      }),
    ),
  ];
  if (decision.outcome === "approved") blocks.push(p(say("payout", { payout: decision.payout })));
  blocks.push(p(say("explanation")), { kind: "steps", items: explained.steps.map((s) => s.text) });
  blocks.push(p(explained.nextStep), p(explained.complaints));
  blocks.push(p(t(locale, "documents.closing", { insurer: h.insurer })));
  return letter(h, say("subject", { claimNumber: h.claimNumber }), blocks);
}

export function cancellationLetter(
  h: LetterHead & { productName: string; requestedOn: IsoDate; endDate: IsoDate; refund: Cents | null },
): LetterContent {
  const locale = localeOf(h.language, h.country);
  const say = (key: string, params: object = {}) => t(locale, `documents.cancellation.${key}`, params);
  return letter(
    h,
    say("subject", { policyNumber: h.policyNumber }),
    framed(h, [
      say("confirmed", { requested: h.requestedOn, endDate: h.endDate, product: h.productName }),
      h.refund && h.refund > 0 ? say("refund", { amount: h.refund }) : say("noRefund"),
    ]),
  );
}

/** Premium given back: paid out to the account (refund) or set off against the next premium. */
export function refundLetter(
  h: LetterHead & {
    kind: "refund" | "credit_note";
    reason: "household_change" | "cancellation";
    effectiveDate: IsoDate;
    amount: Cents;
  },
): LetterContent {
  const locale = localeOf(h.language, h.country);
  const say = (key: string, params: object = {}) => t(locale, `documents.refund.${key}`, params);
  return letter(
    h,
    say("subject", { policyNumber: h.policyNumber }),
    framed(h, [say(`why.${h.reason}`, { date: h.effectiveDate }), say(h.kind, { amount: h.amount })]),
  );
}
