import type { Selectable } from "kysely";
import type { BankFileType, SequenceType } from "../../bank/index.ts";
import type { Tx } from "../../db/schema.ts";
import type { Ctx } from "../../shared/context.ts";
import type { IsoDate } from "../../shared/dates.ts";
import type { Cents } from "../../shared/money.ts";
import type { PaymentBatchesTable } from "../tables.ts";

/**
 * Billing's writer of the bank files' records, for the modules and flows that make or read bank
 * files: `payment_batches` (a pain.008 or pain.001 we wrote) and `bank_imports` (a pain.002 or
 * camt.054 we read). Billing's own run writes its direct-debit batches in batches.ts.
 *
 * Lock rules: an import is claimed by inserting its row (unique sha256 and message id), so two
 * imports of one file in parallel apply it once; a batch's status only moves forward
 * (written → submitted → settled), each move a conditional update.
 */

export type PaymentBatch = Selectable<PaymentBatchesTable>;

/** An earlier import of the same bytes or the same message id, if any. */
export async function priorImport(tx: Tx, sha256: string, fileType: BankFileType, messageId: string) {
  return tx
    .selectFrom("bank_imports")
    .select("id")
    .where((eb) =>
      eb.or([
        eb("sha256", "=", sha256),
        eb.and([eb("file_type", "=", fileType), eb("message_id", "=", messageId)]),
      ]),
    )
    .executeTakeFirst();
}

/** Records an import; null when a concurrent import of the same file committed first. */
export async function insertImport(
  tx: Tx,
  ctx: Ctx,
  row: { sha256: string; fileType: BankFileType; messageId: string; fileName: string | null },
): Promise<number | null> {
  const inserted = await tx
    .insertInto("bank_imports")
    .values({
      sha256: row.sha256,
      file_type: row.fileType,
      message_id: row.messageId,
      file_name: row.fileName,
      imported_at: ctx.now,
      summary: "{}",
    })
    .onConflict((oc) => oc.doNothing())
    .returning("id")
    .executeTakeFirst();
  return inserted?.id ?? null;
}

export async function setImportSummary(tx: Tx, importId: number, summary: unknown): Promise<void> {
  await tx
    .updateTable("bank_imports")
    .set({ summary: JSON.stringify(summary) })
    .where("id", "=", importId)
    .execute();
}

export async function batchByMessageId(tx: Tx, messageId: string): Promise<PaymentBatch | undefined> {
  return tx.selectFrom("payment_batches").selectAll().where("message_id", "=", messageId).executeTakeFirst();
}

/** The bank answered about these files: written → submitted (files already further stay). */
export async function markBatchesSubmitted(tx: Tx, batchIds: number[]): Promise<void> {
  if (batchIds.length === 0) return;
  await tx
    .updateTable("payment_batches")
    .set({ status: "submitted" })
    .where("id", "in", batchIds)
    .where("status", "=", "written")
    .execute();
}

/** Every transaction of the file has an outcome: the file is settled. */
export async function settleBatch(tx: Tx, batchId: number): Promise<void> {
  await tx.updateTable("payment_batches").set({ status: "settled" }).where("id", "=", batchId).execute();
}

/** How many credit-transfer files were written for an execution date (numbers the next one). */
export async function creditTransferFiles(tx: Tx, date: IsoDate): Promise<number> {
  const count = await tx
    .selectFrom("payment_batches")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("kind", "=", "credit_transfer")
    .where("collection_date", "=", date)
    .executeTakeFirstOrThrow();
  return Number(count.n);
}

export async function insertCreditTransferBatch(
  tx: Tx,
  ctx: Ctx,
  file: { date: IsoDate; messageId: string; fileName: string; transactions: number; total: Cents },
): Promise<number> {
  const batch = await tx
    .insertInto("payment_batches")
    .values({
      kind: "credit_transfer",
      run_id: null,
      collection_date: file.date,
      message_id: file.messageId,
      status: "written",
      file_name: file.fileName,
      transactions: file.transactions,
      total_cents: file.total,
      created_at: ctx.now,
      written_at: ctx.now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return batch.id;
}

/**
 * The references of a direct-debit file's transactions (invoices and charges), of one sequence
 * type when given: what a pain.002 rejecting a whole payment-information block rejects.
 */
export async function debitReferencesOfBatch(
  tx: Tx,
  batchId: number,
  seq: SequenceType | null,
): Promise<string[]> {
  let invoices = tx.selectFrom("invoices").select("reference as ref").where("batch_id", "=", batchId);
  let charges = tx
    .selectFrom("charge_collections")
    .select("reference as ref")
    .where("batch_id", "=", batchId);
  if (seq) invoices = invoices.where("sequence_type", "=", seq);
  // Charges are only ever debited FRST or RCUR (collections/charges.ts).
  if (seq === "FRST" || seq === "RCUR") charges = charges.where("sequence_type", "=", seq);
  const chargeRefs = seq === null || seq === "FRST" || seq === "RCUR" ? await charges.execute() : [];
  return [...(await invoices.execute()), ...chargeRefs].map((r) => r.ref);
}
