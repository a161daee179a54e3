import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import nodemailer, { type Transporter } from "nodemailer";
import { recordAudit } from "../audit/index.ts";
import type { Database } from "../db/schema.ts";
import type { Ctx } from "../shared/context.ts";
import { t } from "../shared/i18n/index.ts";
import { DELIVERY_RETRY, nextAttemptAt, type RetryPolicy } from "./model.ts";
import {
  claimDue,
  type DeliveryRow,
  documentWithPdf,
  expiredLeases,
  moveDelivery,
  outboxCounts,
} from "./store.ts";

/**
 * The `documents_send` sweep: the e-mail outbox sent after commit through SMTP (nodemailer).
 * Each due row is claimed first (store.ts `claimDue`: 'sending' with a lease, FOR UPDATE SKIP
 * LOCKED), then sent with the PDF attached, then settled by compare-and-set:
 * - accepted: 'sent' with the Message-ID the server took;
 * - refused for good (a 5xx answer, the recipient rejected): 'refused', the reason on the letter;
 * - anything else (no answer, a dropped connection, a 4xx): back to 'pending' with exponential
 *   backoff, 'failed' after the last attempt.
 * A row whose sender stopped mid-send (its lease ran out) is marked 'failed', never re-sent: the
 * server may have taken it, and a letter goes at most once to a recipient. Staff see it on the
 * letter. Without SMTP_URL nothing is sent and the letters stay in the outbox.
 */
export interface MailConfig {
  transport: Transporter;
  from: string;
  /** The domain of the Message-IDs: one per (document, recipient), the same on every attempt. */
  domain: string;
}

/** SMTP_URL (smtp://user:pass@host:port or smtps://…) and MAIL_FROM; null when SMTP_URL is unset. */
export function mailConfigFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 20_000,
): MailConfig | null {
  const url = env.SMTP_URL?.trim();
  if (!url) return null;
  const u = new URL(url);
  const from = env.MAIL_FROM?.trim() || "Cyberpolis <no-reply@cyberpolis.invalid>";
  return {
    transport: nodemailer.createTransport({
      host: u.hostname,
      port: Number(u.port) || (u.protocol === "smtps:" ? 465 : 25),
      secure: u.protocol === "smtps:",
      ...(u.username
        ? { auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } }
        : {}),
      // A server that never answers must not hold the sweep: each wait is bounded.
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
    }),
    from,
    domain: /@([^>\s]+)/.exec(from)?.[1] ?? "cyberpolis.invalid",
  };
}

export interface SendReport {
  summary: string;
  sent: number;
  refused: number;
  retried: number;
  failed: number;
}

const INTERRUPTED = "the sender stopped while delivering; not sent again so it never arrives twice";

export async function sendDocuments(
  db: Kysely<Database>,
  ctx: Ctx,
  mail: MailConfig | null,
  opts: { batch?: number; leaseMs?: number; retry?: RetryPolicy } = {},
): Promise<SendReport> {
  const report: SendReport = { summary: "", sent: 0, refused: 0, retried: 0, failed: 0 };
  for (const row of await expiredLeases(db, ctx.now)) {
    if (await settle(db, ctx, row, "failed", { lastError: INTERRUPTED })) report.failed++;
  }
  if (!mail) {
    const waiting = (await outboxCounts(db)).pending;
    return { ...report, summary: `SMTP_URL unset: ${waiting} letters wait in the outbox` };
  }
  const retry = opts.retry ?? DELIVERY_RETRY;
  for (;;) {
    const claimed = await claimDue(db, ctx.now, opts.batch ?? 20, opts.leaseMs ?? 10 * 60_000);
    if (claimed.length === 0) break;
    for (const row of claimed) {
      const outcome = await deliver(db, mail, row);
      if (outcome.ok) {
        await settle(db, ctx, row, "sent", {
          messageId: outcome.messageId,
          sentAt: ctx.now,
          lastError: null,
        });
        report.sent++;
      } else if (outcome.permanent) {
        await settle(db, ctx, row, "refused", { lastError: outcome.error });
        report.refused++;
      } else if (row.attempts >= retry.maxAttempts) {
        await settle(db, ctx, row, "failed", { lastError: outcome.error });
        report.failed++;
      } else {
        const next = nextAttemptAt(ctx.now, row.attempts, retry);
        await settle(db, ctx, row, "pending", { lastError: outcome.error, nextAttemptAt: next });
        report.retried++;
      }
    }
  }
  const s = report;
  return { ...s, summary: `${s.sent} sent, ${s.refused} refused, ${s.retried} to retry, ${s.failed} failed` };
}

type Outcome = { ok: true; messageId: string } | { ok: false; permanent: boolean; error: string };

/** The Message-ID of a (document, recipient): the same on every attempt, so a copy is recognisable. */
export function messageIdOf(row: Pick<DeliveryRow, "document_id" | "recipient">, domain: string): string {
  const who = createHash("sha256").update(row.recipient.toLowerCase()).digest("hex").slice(0, 16);
  return `<${row.document_id}.${who}@${domain}>`;
}

async function deliver(db: Kysely<Database>, mail: MailConfig, row: DeliveryRow): Promise<Outcome> {
  const doc = await documentWithPdf(db, row.document_id);
  if (!doc?.pdf) return { ok: false, permanent: true, error: "the document's PDF is no longer stored" };
  const messageId = messageIdOf(row, mail.domain);
  try {
    const info = await mail.transport.sendMail({
      from: mail.from,
      to: row.recipient,
      subject: doc.subject,
      messageId,
      text: t(doc.content.locale, "documents.mail.body", {
        recipient: doc.content.layout === "letter" ? doc.content.recipient : "",
        title: doc.subject,
        insurer: doc.content.insurer,
      }),
      attachments: [
        {
          filename: `${doc.kind}-${doc.content.date}.pdf`,
          content: Buffer.from(doc.pdf),
          contentType: "application/pdf",
        },
      ],
    });
    if ((info.rejected?.length ?? 0) > 0)
      return { ok: false, permanent: true, error: `recipient refused: ${info.response}` };
    return { ok: true, messageId: info.messageId || messageId };
  } catch (e) {
    const err = e as { responseCode?: number; code?: string; message?: string; response?: string };
    const permanent =
      typeof err.responseCode === "number" && err.responseCode >= 500 && err.responseCode < 600;
    return { ok: false, permanent, error: oneLine(err.response ?? err.message ?? String(e), err.code) };
  }
}

function oneLine(text: string, code: string | undefined): string {
  const s = text.replace(/\s+/g, " ").trim().slice(0, 500);
  return code ? `${code}: ${s}` : s;
}

async function settle(
  db: Kysely<Database>,
  ctx: Ctx,
  row: DeliveryRow,
  to: "sent" | "refused" | "pending" | "failed",
  changes: Parameters<typeof moveDelivery>[4],
): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const moved = await moveDelivery(tx, row, "sending", to, changes);
    if (moved && to !== "pending") {
      await recordAudit(tx, ctx, {
        action: `document.${to}`,
        entityType: "document",
        entityId: row.document_id,
        // The error stays on the delivery row (erased with the party); it may quote the address.
        after: { delivery: row.id, attempts: row.attempts },
      });
    }
    return moved;
  });
}
