import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Kysely } from "kysely";
import { type RawBuilder, sql } from "kysely";
import type { DirectDebitTransaction } from "../bank/index.ts";
import { SEQUENCE_TYPES } from "../bank/index.ts";
import type { Database } from "../db/schema.ts";
import type { Ctx } from "../shared/context.ts";
import { addDays, type IsoDate } from "../shared/dates.ts";
import type { RunRef } from "./chunk.ts";
import type { BillingConfig } from "./config.ts";
import { type StreamedGroup, writeDirectDebitFile } from "./pain008-stream.ts";

export interface WrittenFile {
  batchId: number;
  path: string;
  collectionDate: IsoDate;
  transactions: number;
  total: number;
}

export interface TxRow {
  policy_id: string;
  reference: string;
  amount_cents: number;
  sequence_type: DirectDebitTransaction["sequenceType"];
  period_start: IsoDate;
  period_end: IsoDate;
  number: string;
  mandate_reference: string;
  signed_on: IsoDate;
  account_holder: string;
  iban: string;
  bic: string | null;
}

/** "Premie polis NL-P00000001 2026-01-01 t/m 2026-01-31": what the policyholder reads on the statement. */
function remittance(row: TxRow, lastDays: Map<IsoDate, IsoDate>): string {
  let last = lastDays.get(row.period_end);
  if (!last) {
    last = addDays(row.period_end, -1);
    lastDays.set(row.period_end, last);
  }
  return `Premie polis ${row.number} ${row.period_start} t/m ${last}`;
}

export function toTransaction(r: TxRow, lastDays: Map<IsoDate, IsoDate>): DirectDebitTransaction {
  return {
    sequenceType: r.sequence_type,
    amount: r.amount_cents,
    endToEndId: r.reference,
    mandateId: r.mandate_reference,
    mandateSignatureDate: r.signed_on,
    debtorName: r.account_holder,
    debtorIban: r.iban,
    debtorBic: r.bic ?? undefined,
    remittanceInformation: remittance(r, lastDays),
  };
}

// Rows per page: large enough that round trips don't matter, small enough to keep memory flat.
const PAGE_SIZE = 2000;

function pagesOf(
  db: Kysely<Database>,
  batchId: number,
  seq: string,
): () => AsyncIterable<DirectDebitTransaction[]> {
  // Keyset pagination along invoices_batch_idx, in the file's order: each page is one index range
  // scan however many invoices of other batches the table holds.
  const page = async (after: TxRow | null): Promise<TxRow[]> => {
    const from: RawBuilder<boolean> = after
      ? sql<boolean>`(i.policy_id, i.period_start) > (${after.policy_id}::uuid, ${after.period_start}::date)`
      : sql<boolean>`true`;
    const result = await sql<TxRow>`
      select i.policy_id, i.reference, i.amount_cents, i.sequence_type, i.period_start, i.period_end,
             p.number, m.reference as mandate_reference, m.signed_on, m.account_holder, m.iban, m.bic
      from invoices i
      join policies p on p.id = i.policy_id
      join sepa_mandates m on m.id = i.mandate_id
      where i.batch_id = ${batchId}::int8 and i.sequence_type = ${seq} and ${from}
      order by i.batch_id, i.sequence_type, i.policy_id, i.period_start
      limit ${PAGE_SIZE}`.execute(db);
    return result.rows;
  };
  return async function* () {
    const lastDays = new Map<IsoDate, IsoDate>();
    let next = page(null);
    for (;;) {
      const rows = await next;
      if (rows.length === 0) return;
      const more = rows.length === PAGE_SIZE;
      // The next page is read while this one is rendered and written: the database and Node overlap.
      if (more) {
        next = page(rows[rows.length - 1]!);
        // A consumer that stops after this page (the envelope takes only the first) awaits nothing.
        next.catch(() => undefined);
      }
      yield rows.map((r) => toTransaction(r, lastDays));
      if (!more) return;
    }
  };
}

/**
 * Writes one pain.008 per collection date of the run, from the database alone: the same invoices
 * give the same bytes (the batch's message id and creation time are stored), so a re-run or a
 * resumed run rewrites identical files.
 */
export async function writeRunFiles(
  db: Kysely<Database>,
  ctx: Ctx,
  config: BillingConfig,
  run: RunRef,
  outDir: string,
): Promise<WrittenFile[]> {
  await mkdir(outDir, { recursive: true });
  const batches = await db
    .selectFrom("payment_batches")
    .selectAll()
    .where("run_id", "=", run.id)
    .where("kind", "=", "direct_debit")
    .orderBy("collection_date")
    .execute();
  const written: WrittenFile[] = [];
  for (const batch of batches) {
    const totals = await db
      .selectFrom("invoices")
      .select([
        "sequence_type",
        (eb) => eb.fn.countAll<number>().as("count"),
        (eb) => eb.fn.sum<number>("amount_cents").as("total"),
      ])
      .where("batch_id", "=", batch.id)
      .groupBy("sequence_type")
      .execute();
    const groups: StreamedGroup[] = SEQUENCE_TYPES.flatMap((seq) => {
      const t = totals.find((x) => x.sequence_type === seq);
      if (!t || Number(t.count) === 0) return [];
      return [
        {
          sequenceType: seq,
          count: Number(t.count),
          total: Number(t.total),
          pages: pagesOf(db, batch.id, seq),
        },
      ];
    });
    if (groups.length === 0) continue;
    const fileName = `pain008-${run.runDate}-${batch.collection_date}.xml`;
    const path = join(outDir, fileName);
    await writeDirectDebitFile(
      path,
      {
        messageId: batch.message_id,
        createdAt: batch.created_at,
        collectionDate: batch.collection_date,
        creditor: config.creditor,
      },
      groups,
    );
    const transactions = groups.reduce((n, g) => n + g.count, 0);
    const total = groups.reduce((n, g) => n + g.total, 0);
    await recordWritten(db, ctx, batch.id, fileName, transactions, total);
    written.push({ batchId: batch.id, path, collectionDate: batch.collection_date, transactions, total });
  }
  return written;
}

export async function recordWritten(
  db: Kysely<Database>,
  ctx: Ctx,
  batchId: number,
  fileName: string,
  transactions: number,
  total: number,
): Promise<void> {
  await db
    .updateTable("payment_batches")
    .set((eb) => ({
      file_name: fileName,
      transactions,
      total_cents: total,
      written_at: eb.fn.coalesce("written_at", eb.val(ctx.now)),
      // Part 2 moves a batch on to submitted/settled; rewriting the file must not move it back.
      status: sql<
        "open" | "written" | "submitted" | "settled"
      >`case when ${eb.ref("status")} = 'open' then 'written' else ${eb.ref("status")} end`,
    }))
    .where("id", "=", batchId)
    .execute();
}
