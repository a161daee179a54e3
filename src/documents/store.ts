import { type Kysely, type Selectable, sql } from "kysely";
import type { Database, Tx } from "../db/schema.ts";
import { AppError } from "../shared/errors.ts";
import { DELIVERY_TRANSITIONS, type DeliveryStatus, type DocContent, type DocumentKind } from "./model.ts";
import type { DocumentDeliveriesTable, DocumentsTable } from "./tables.ts";

/**
 * The only code that reads and writes `documents` and `document_deliveries`.
 *
 * Locking rules:
 * - A document is written once: `insertDocument` inserts on its `source_key` with ON CONFLICT DO
 *   NOTHING, so two sweeps rendering the same letter at once store it once (the loser gets the
 *   stored row back). Its PDF, content and hash never change afterwards; erasure clears the PDF
 *   and redacts the content, and keeps the hash.
 * - A delivery row is (document, recipient) unique: queueing twice queues once.
 * - A delivery's status moves only by compare-and-set on (status, attempts) as read
 *   (`moveDelivery`): a sender whose lease ran out and was taken over can't overwrite the newer
 *   outcome. Senders claim rows with `UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED)`,
 *   so two workers never claim the same row, and only then talk to the SMTP server.
 */
export type DocumentRow = Selectable<DocumentsTable>;
export type DeliveryRow = Selectable<DocumentDeliveriesTable>;

export interface NewDocument {
  kind: DocumentKind;
  sourceKey: string;
  policyId: string;
  partyId: string;
  claimId: string | null;
  content: DocContent;
  pdf: Uint8Array;
  sha256: string;
  pages: number;
}

/** Stores a document once per source; returns its id and whether this call stored it. */
export async function insertDocument(
  tx: Tx,
  now: Date,
  d: NewDocument,
): Promise<{ id: string; created: boolean }> {
  const inserted = await tx
    .insertInto("documents")
    .values({
      kind: d.kind,
      source_key: d.sourceKey,
      policy_id: d.policyId,
      party_id: d.partyId,
      claim_id: d.claimId,
      language: d.content.language,
      subject: d.content.subject,
      content: JSON.stringify(d.content),
      pdf: d.pdf,
      sha256: d.sha256,
      pages: d.pages,
      created_at: now,
      erased_at: null,
    })
    .onConflict((oc) => oc.column("source_key").doNothing())
    .returning("id")
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, created: true };
  const existing = await tx
    .selectFrom("documents")
    .select("id")
    .where("source_key", "=", d.sourceKey)
    .executeTakeFirstOrThrow();
  return { id: existing.id, created: false };
}

/** Which of these source keys already have their document (a sweep skips them). */
export async function storedSourceKeys(tx: Tx, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await tx
    .selectFrom("documents")
    .select("source_key")
    .where("source_key", "in", keys)
    .execute();
  return new Set(rows.map((r) => r.source_key));
}

const META = [
  "id",
  "kind",
  "source_key",
  "policy_id",
  "party_id",
  "claim_id",
  "language",
  "subject",
  "sha256",
  "pages",
  "created_at",
  "erased_at",
] as const;

export type DocumentMeta = Pick<DocumentRow, (typeof META)[number]>;

export function documentMeta(tx: Tx, id: string): Promise<DocumentMeta | undefined> {
  return tx.selectFrom("documents").select(META).where("id", "=", id).executeTakeFirst();
}

export function documentWithPdf(tx: Tx, id: string) {
  return tx
    .selectFrom("documents")
    .select([...META, "pdf", "content"])
    .where("id", "=", id)
    .executeTakeFirst();
}

export function documentBySource(tx: Tx, key: string) {
  return tx.selectFrom("documents").select(["id", "pdf"]).where("source_key", "=", key).executeTakeFirst();
}

export function documentsOfPolicy(tx: Tx, policyId: string): Promise<DocumentMeta[]> {
  return tx
    .selectFrom("documents")
    .select(META)
    .where("policy_id", "=", policyId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
}

export function deliveriesOf(tx: Tx, documentIds: readonly string[]): Promise<DeliveryRow[]> {
  if (documentIds.length === 0) return Promise.resolve([]);
  return tx
    .selectFrom("document_deliveries")
    .selectAll()
    .where("document_id", "in", documentIds)
    .orderBy("id")
    .execute();
}

/** Queues the document for `recipient`, once; the sender picks it up from `now`. */
export async function queueDelivery(tx: Tx, now: Date, documentId: string, recipient: string): Promise<void> {
  await tx
    .insertInto("document_deliveries")
    .values({
      document_id: documentId,
      recipient,
      next_attempt_at: now,
      created_at: now,
      lease_until: null,
      last_error: null,
      message_id: null,
      sent_at: null,
    })
    .onConflict((oc) => oc.columns(["document_id", "recipient"]).doNothing())
    .execute();
}

/**
 * Claims up to `limit` due deliveries for one sender: each moves to 'sending' with a lease and one
 * more attempt, in one statement, skipping rows another sender holds. Commits on its own (`db`),
 * before any mail is sent.
 */
export async function claimDue(db: Kysely<Database>, now: Date, limit: number, leaseMs: number) {
  const lease = new Date(now.getTime() + leaseMs);
  const rows = await sql<DeliveryRow>`
    update document_deliveries d
       set status = 'sending', lease_until = ${lease}, attempts = d.attempts + 1
     where d.id in (select id from document_deliveries
                     where status = 'pending' and next_attempt_at <= ${now}
                     order by next_attempt_at, id
                     limit ${limit}
                     for update skip locked)
    returning d.*`.execute(db);
  return rows.rows;
}

/**
 * Moves a delivery from `from` (as read, with its attempt count) to `to`. An illegal move is a bug
 * and throws; a row moved meanwhile returns false (another sender owns its outcome now).
 */
export async function moveDelivery(
  tx: Tx,
  row: Pick<DeliveryRow, "id" | "attempts">,
  from: DeliveryStatus,
  to: DeliveryStatus,
  changes: { nextAttemptAt?: Date; lastError?: string | null; messageId?: string; sentAt?: Date } = {},
): Promise<boolean> {
  if (!DELIVERY_TRANSITIONS[from].includes(to)) {
    throw new AppError("conflict", `a delivery can't go from ${from} to ${to}`);
  }
  const moved = await tx
    .updateTable("document_deliveries")
    .set({
      status: to,
      lease_until: null,
      ...(changes.nextAttemptAt ? { next_attempt_at: changes.nextAttemptAt } : {}),
      ...(changes.lastError !== undefined ? { last_error: changes.lastError } : {}),
      ...(changes.messageId ? { message_id: changes.messageId } : {}),
      ...(changes.sentAt ? { sent_at: changes.sentAt } : {}),
    })
    .where("id", "=", row.id)
    .where("status", "=", from)
    .where("attempts", "=", row.attempts)
    .executeTakeFirst();
  return Number(moved.numUpdatedRows) === 1;
}

/**
 * A bounce (a delivery status notification) for a letter the SMTP server had accepted: the
 * delivery becomes 'refused' with the reason, visible on the letter. Matched by Message-ID;
 * returns the delivery, or undefined when no sent letter has that id.
 */
export async function recordBounce(tx: Tx, messageId: string, reason: string) {
  return tx
    .updateTable("document_deliveries")
    .set({ status: "refused", last_error: `bounced: ${reason}`.slice(0, 500) })
    .where("message_id", "=", messageId)
    .where("status", "=", "sent")
    .returning(["id", "document_id"])
    .executeTakeFirst();
}

/** Rows whose sender stopped while sending (its lease ran out): for the sweep to settle. */
export function expiredLeases(tx: Tx, now: Date): Promise<DeliveryRow[]> {
  return tx
    .selectFrom("document_deliveries")
    .selectAll()
    .where("status", "=", "sending")
    .where("lease_until", "<", now)
    .orderBy("id")
    .execute();
}

/** Outbox counts by status, for the job's summary and the metrics. */
export async function outboxCounts(tx: Tx): Promise<Record<DeliveryStatus, number>> {
  const rows = await tx
    .selectFrom("document_deliveries")
    .select(["status", (eb) => eb.fn.countAll<number>().as("n")])
    .groupBy("status")
    .execute();
  const out: Record<DeliveryStatus, number> = { pending: 0, sending: 0, sent: 0, refused: 0, failed: 0 };
  for (const r of rows) out[r.status] = Number(r.n);
  return out;
}

/** The party's documents, for erasure: content and PDF go, the hash and the delivery facts stay. */
export function documentsOfParty(tx: Tx, partyId: string) {
  return tx
    .selectFrom("documents")
    .select(["id", "content"])
    .where("party_id", "=", partyId)
    .where("erased_at", "is", null)
    .forUpdate()
    .execute();
}

export async function eraseDocument(tx: Tx, id: string, content: DocContent, now: Date): Promise<void> {
  await tx
    .updateTable("documents")
    .set({ pdf: null, content: JSON.stringify(content), erased_at: now })
    .where("id", "=", id)
    .execute();
}

/** A delivery of an erased party: addressed to the pseudonym, its error text without their values. */
export async function redactDelivery(
  tx: Tx,
  id: number,
  recipient: string,
  lastError: string | null,
): Promise<void> {
  await tx
    .updateTable("document_deliveries")
    .set({ recipient, last_error: lastError })
    .where("id", "=", id)
    .execute();
}

/**
 * The party's documents for the personal-data export (GDPR art. 15 and 20): what each letter and
 * schedule said (its content; the PDF is re-rendered from it on download) and its deliveries.
 */
export async function documentsForExport(tx: Tx, partyId: string) {
  const documents = await tx
    .selectFrom("documents")
    .select([...META, "content"])
    .where("party_id", "=", partyId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  const deliveries = await deliveriesOf(
    tx,
    documents.map((d) => d.id),
  );
  return { documents, document_deliveries: deliveries };
}
