import type { Language } from "../shared/i18n/index.ts";

/**
 * The documents module's types. A stored document keeps its content in words (`DocContent`), the
 * exact input of the renderer, beside the PDF and its sha256: rendering the stored content again
 * gives the same bytes, so any letter can be reproduced and checked from the database alone.
 */
export const DOCUMENT_KINDS = [
  "schedule",
  "claim_decision",
  "premium_reminder",
  "formal_notice",
  "charge_pre_notification",
  "charge_payment_request",
  "refund_notice",
  "cancellation_confirmation",
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** A paragraph, or numbered lines (a decision's explanation, one step per line). */
export type Block = { kind: "p"; text: string } | { kind: "steps"; items: string[] };

export interface LetterContent {
  layout: "letter";
  language: Language;
  /** The Intl locale dates and amounts were written in ("nl-BE"), also the PDF's language tag. */
  locale: string;
  insurer: string;
  recipient: string;
  /** The letter's date line and policy line, in words. */
  dateLine: string;
  policyLine: string;
  subject: string;
  /** The letter's own date (YYYY-MM-DD): also the PDF's creation date. */
  date: string;
  blocks: Block[];
}

export interface ScheduleContent {
  layout: "schedule";
  language: Language;
  locale: string;
  insurer: string;
  title: string;
  subject: string;
  intro: string;
  date: string;
  rows: [string, string][];
  limitsTitle: string;
  limits: [string, string][];
  answersTitle: string;
  answers: [string, string][];
  noAnswers: string;
}

export type DocContent = LetterContent | ScheduleContent;

export type DeliveryStatus = "pending" | "sending" | "sent" | "refused" | "failed";

/** Allowed status changes of a delivery; every change is a compare-and-set in store.ts. */
export const DELIVERY_TRANSITIONS: Readonly<Record<DeliveryStatus, readonly DeliveryStatus[]>> = {
  // claimed by a sender
  pending: ["sending"],
  // sent, refused for good, or given back for a retry (or failed after the last attempt)
  sending: ["sent", "refused", "pending", "failed"],
  // a bounce that arrives after the server accepted the letter
  sent: ["refused"],
  refused: [],
  failed: [],
};

/** Retries of a delivery the SMTP server did not take: 1 min, 2, 4 … capped at 6 h, 8 attempts. */
export interface RetryPolicy {
  baseMs: number;
  capMs: number;
  maxAttempts: number;
}
export const DELIVERY_RETRY: RetryPolicy = { baseMs: 60_000, capMs: 6 * 3600_000, maxAttempts: 8 };

/** When the next attempt is due after `attempts` failed ones (exponential backoff). Pure. */
export function nextAttemptAt(now: Date, attempts: number, retry: RetryPolicy = DELIVERY_RETRY): Date {
  const delay = Math.min(retry.capMs, retry.baseMs * 2 ** Math.max(0, attempts - 1));
  return new Date(now.getTime() + delay);
}
