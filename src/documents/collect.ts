import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import { z } from "zod";
import { recordAudit } from "../audit/index.ts";
import { adjustmentById, mandateInForce, maskIban, premiumLetterById } from "../billing/index.ts";
import { decisionForLetter, type ExplanationStep, explanationStep } from "../claims/index.ts";
import type { Database, Tx } from "../db/schema.ts";
import { partyContact } from "../parties/index.ts";
import { householdOn, loadPolicy } from "../policies/index.ts";
import type { Ctx } from "../shared/context.ts";
import { isLanguage, type Language } from "../shared/i18n/index.ts";
import { fonts } from "./fonts.ts";
import { cancellationLetter, decisionLetter, type LetterHead, refundLetter, textLetter } from "./letters.ts";
import type { DocContent, DocumentKind } from "./model.ts";
import { renderDocument } from "./render.ts";
import { scheduleContent } from "./schedule.ts";
import { isEmpty, pendingSources, sourceKey } from "./sources.ts";
import { insertDocument, queueDelivery } from "./store.ts";

/**
 * The `documents_collect` sweep: every premium letter, claim decision, policy version,
 * cancellation and refund without its document gets one, rendered outside any transaction and
 * stored with its delivery to the policyholder's e-mail address in one short transaction. Running
 * it twice, or in two workers at once, stores each document once (`source_key` is unique).
 */
export interface Built {
  kind: DocumentKind;
  sourceKey: string;
  policyId: string;
  partyId: string;
  claimId: string | null;
  content: DocContent;
  email: string | null;
}

export async function collectDocuments(
  db: Kysely<Database>,
  ctx: Ctx,
  opts: { batch?: number; maxRounds?: number } = {},
): Promise<{ summary: string; stored: number }> {
  const batch = opts.batch ?? 200;
  let stored = 0;
  for (let round = 0; round < (opts.maxRounds ?? 1000); round++) {
    const pending = await pendingSources(db, batch);
    if (isEmpty(pending)) break;
    const builders: (() => Promise<Built | null>)[] = [
      ...pending.premiumLetters.map((id) => () => premiumLetterDoc(db, ctx, id)),
      ...pending.decisions.map((d) => () => decisionDoc(db, ctx, d.claimId, d.sequence)),
      ...pending.schedules.map((s) => () => scheduleDoc(db, ctx, s.policyId, s.version)),
      ...pending.cancellations.map((id) => () => cancellationDoc(db, ctx, id)),
      ...pending.refunds.map((id) => () => refundDoc(db, ctx, id)),
    ];
    let storedThisRound = 0;
    let chunk: Built[] = [];
    for (const build of builders) {
      const built = await build();
      if (built) chunk.push(built);
      if (chunk.length >= STORE_CHUNK) {
        storedThisRound += await storeBuilt(db, ctx, chunk);
        chunk = [];
      }
    }
    if (chunk.length > 0) storedThisRound += await storeBuilt(db, ctx, chunk);
    stored += storedThisRound;
    // A source that could not be built comes back every round: stop instead of spinning on it.
    if (storedThisRound === 0) break;
  }
  return { summary: `${stored} documents stored`, stored };
}

export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** pdfkit writes each page object uncompressed as `/Type /Page`; the page tree is `/Pages`. */
export function countPages(pdf: Uint8Array): number {
  return (
    Buffer.from(pdf)
      .toString("latin1")
      .match(/\/Type \/Page(?!s)/g)?.length ?? 0
  );
}

/** Documents stored per transaction: one commit (and its flush) for many letters. */
const STORE_CHUNK = 50;

/**
 * Renders the documents (outside any transaction), then stores them and queues their e-mails in
 * one transaction; returns how many this call stored (another sweep may have stored some first).
 */
export async function storeBuilt(db: Kysely<Database>, ctx: Ctx, items: readonly Built[]): Promise<number> {
  const rendered: { b: Built; pdf: Buffer; hash: string }[] = [];
  for (const b of items) {
    const pdf = await renderDocument(b.content, fonts());
    rendered.push({ b, pdf, hash: sha256(pdf) });
  }
  return db.transaction().execute(async (tx) => {
    let stored = 0;
    for (const { b, pdf, hash } of rendered) {
      const { id, created } = await insertDocument(tx, ctx.now, {
        kind: b.kind,
        sourceKey: b.sourceKey,
        policyId: b.policyId,
        partyId: b.partyId,
        claimId: b.claimId,
        content: b.content,
        pdf,
        sha256: hash,
        pages: countPages(pdf),
      });
      if (!created) continue;
      stored++;
      if (b.email) await queueDelivery(tx, ctx.now, id, b.email);
      await recordAudit(tx, ctx, {
        action: "document.stored",
        entityType: "document",
        entityId: id,
        policyId: b.policyId,
        after: { kind: b.kind, source: b.sourceKey, sha256: hash, queued: b.email !== null },
      });
    }
    return stored;
  });
}

async function holderOf(tx: Tx, ctx: Ctx, policyId: string) {
  const loaded = await loadPolicy(tx, ctx, policyId);
  const party = await partyContact(tx, loaded.policy.party_id);
  if (!party || party.erased_at) return null;
  return { loaded, party };
}

function head(
  h: NonNullable<Awaited<ReturnType<typeof holderOf>>>,
  language: Language,
  date: string,
): LetterHead {
  return {
    language,
    country: h.loaded.product.country,
    insurer: h.loaded.product.insurer.name,
    recipient: h.party.name,
    policyNumber: h.loaded.policy.number,
    date,
  };
}

const LETTER_KIND = {
  reminder: "premium_reminder",
  formal_notice: "formal_notice",
  pre_notification: "charge_pre_notification",
  payment_request: "charge_payment_request",
} as const satisfies Record<string, DocumentKind>;

async function premiumLetterDoc(db: Kysely<Database>, ctx: Ctx, id: string): Promise<Built | null> {
  const l = await premiumLetterById(db, id);
  const h = l && (await holderOf(db, ctx, l.policy_id));
  if (!l || !h) return null;
  const language = isLanguage(l.language) ? l.language : h.loaded.language;
  return {
    kind: LETTER_KIND[l.kind],
    sourceKey: sourceKey.premiumLetter(id),
    policyId: l.policy_id,
    partyId: h.party.id,
    claimId: null,
    content: textLetter({ ...head(h, language, l.letter_date), recipient: l.recipient }, l.subject, l.body),
    email: h.party.email,
  };
}

async function decisionDoc(
  db: Kysely<Database>,
  ctx: Ctx,
  claimId: string,
  sequence: number,
): Promise<Built | null> {
  const d = await decisionForLetter(db, claimId, sequence);
  const h = d && (await holderOf(db, ctx, d.policy_id));
  if (!d || !h) return null;
  // Decisions stored before explanations were codes hold prose; their letter leaves the steps out.
  const steps = z.array(explanationStep).safeParse(d.explanation);
  const explanation: ExplanationStep[] = steps.success ? steps.data : [];
  const product = ctx.catalog.get(d.product_code, d.product_version);
  const content = decisionLetter(
    {
      ...head(h, h.party.language, d.decided_on),
      product,
      claimNumber: d.claim_number,
      incidentDate: d.incident_date,
    },
    { outcome: d.outcome, payout: d.payout_cents, missing: d.missing, explanation },
  );
  return {
    kind: "claim_decision",
    sourceKey: sourceKey.decision(claimId, sequence),
    policyId: d.policy_id,
    partyId: h.party.id,
    claimId,
    content,
    email: h.party.email,
  };
}

export async function scheduleDoc(
  db: Kysely<Database>,
  ctx: Ctx,
  policyId: string,
  version: number,
): Promise<Built | null> {
  const h = await holderOf(db, ctx, policyId);
  // The policy moved on since it was listed: the sweep renders its new version next round.
  if (!h || h.loaded.policy.version !== version) return null;
  const { policy, product, terms } = h.loaded;
  const mandate =
    policy.payment_method === "sepa_direct_debit" ? await mandateInForce(db, policyId) : undefined;
  const latest = terms.endorsements.at(-1)?.effectiveDate;
  const asOf = latest && latest > policy.start_date ? latest : policy.start_date;
  const content = scheduleContent({
    product,
    language: h.party.language,
    insurer: product.insurer.name,
    policy: {
      number: policy.number,
      version: policy.version,
      startDate: policy.start_date,
      endDate: policy.end_date,
      household: policy.household,
      inForce: householdOn(terms, asOf),
      householdChanges: [...terms.endorsements],
      paymentFrequency: policy.payment_frequency,
      paymentMethod: policy.payment_method,
    },
    holder: { name: h.party.name, email: h.party.email },
    mandate: mandate
      ? {
          reference: mandate.reference,
          maskedIban: maskIban(mandate.iban),
          accountHolder: mandate.account_holder,
        }
      : null,
    asOf,
    answers: [],
  });
  return {
    kind: "schedule",
    sourceKey: sourceKey.schedule(policyId, version),
    policyId,
    partyId: h.party.id,
    claimId: null,
    content,
    email: h.party.email,
  };
}

async function cancellationDoc(db: Kysely<Database>, ctx: Ctx, policyId: string): Promise<Built | null> {
  const h = await holderOf(db, ctx, policyId);
  const p = h?.loaded.policy;
  if (!h || !p?.end_date) return null;
  const requested = p.cancel_requested_on ?? p.end_date;
  const content = cancellationLetter({
    ...head(h, h.party.language, requested),
    productName: h.loaded.product.name[h.party.language],
    requestedOn: requested,
    endDate: p.end_date,
    refund: p.cancel_refund_cents,
  });
  return {
    kind: "cancellation_confirmation",
    sourceKey: sourceKey.cancellation(policyId),
    policyId,
    partyId: h.party.id,
    claimId: null,
    content,
    email: h.party.email,
  };
}

async function refundDoc(db: Kysely<Database>, ctx: Ctx, id: number): Promise<Built | null> {
  const a = await adjustmentById(db, id);
  const h = a && (await holderOf(db, ctx, a.policy_id));
  if (!a || !h || a.kind === "charge") return null;
  const content = refundLetter({
    ...head(h, h.party.language, a.created_on),
    kind: a.kind,
    reason: a.reason,
    effectiveDate: a.effective_date,
    amount: Math.abs(a.amount_cents),
  });
  return {
    kind: "refund_notice",
    sourceKey: sourceKey.refund(id),
    policyId: a.policy_id,
    partyId: h.party.id,
    claimId: null,
    content,
    email: h.party.email,
  };
}
