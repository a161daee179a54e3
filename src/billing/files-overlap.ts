import { mkdir, mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Kysely } from "kysely";
import { type RawBuilder, sql } from "kysely";
import type { DirectDebitTransaction } from "../bank/index.ts";
import { SEQUENCE_TYPES } from "../bank/index.ts";
import type { Database } from "../db/schema.ts";
import type { Ctx } from "../shared/context.ts";
import type { IsoDate } from "../shared/dates.ts";
import { AppError } from "../shared/errors.ts";
import type { ChunkRef, RunRef } from "./chunk.ts";
import { idRange } from "./chunk-sql.ts";
import type { BillingConfig } from "./config.ts";
import { recordWritten, type TxRow, toTransaction, type WrittenFile } from "./files.ts";
import { assembleDirectDebitFile, type FileHeader, renderTransactions } from "./pain008-stream.ts";
import { TransactionTemplates } from "./pain008-template.ts";

/**
 * The run's pain.008 files, rendered while the run is still billing. A file lists its debits by
 * policy id, and chunks are policy-id ranges billed in order, so once chunk k is done its part of
 * every file is final (only a chunk inserts invoices into its run's batches, within its range):
 * it is rendered into per-group body files while the database bills chunk k+1. Rendering is most of
 * the Node process's work and billing most of the database's; on two cores they overlap. At the end
 * the envelope (counts and sums first) is written and the bodies copied in behind it: the same
 * bytes as writeRunFiles, which the `--workers` path still uses.
 */

const PAGE_SIZE = 2000;

interface Body {
  batchId: number;
  sequenceType: DirectDebitTransaction["sequenceType"];
  path: string;
  count: number;
  total: number;
  first: DirectDebitTransaction | undefined;
  file: Awaited<ReturnType<typeof open>>;
}

interface Batch {
  id: number;
  header: FileHeader;
  templates: TransactionTemplates;
}

export class OverlappedFiles {
  private readonly bodies = new Map<string, Body>();
  private readonly batches = new Map<number, Batch>();
  private readonly lastDays = new Map<IsoDate, IsoDate>();
  // Bodies live outside the output directory: a run killed mid-way leaves nothing half-made there.
  private bodyDir: string | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly ctx: Ctx,
    private readonly config: BillingConfig,
    private readonly run: RunRef,
    private readonly outDir: string,
  ) {}

  private async batch(id: number): Promise<Batch> {
    let b = this.batches.get(id);
    if (b) return b;
    const row = await this.db
      .selectFrom("payment_batches")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    const header: FileHeader = {
      messageId: row.message_id,
      createdAt: row.created_at,
      collectionDate: row.collection_date,
      creditor: this.config.creditor,
    };
    b = { id, header, templates: new TransactionTemplates(header, renderTransactions) };
    this.batches.set(id, b);
    return b;
  }

  private async body(batchId: number, seq: DirectDebitTransaction["sequenceType"]): Promise<Body> {
    const key = `${batchId}|${seq}`;
    let body = this.bodies.get(key);
    if (body) return body;
    this.bodyDir ??= await mkdtemp(join(tmpdir(), "cp-pain008-"));
    const path = join(this.bodyDir, `${batchId}-${seq}.body`);
    const file = await open(path, "w");
    body = { batchId, sequenceType: seq, path, count: 0, total: 0, first: undefined, file };
    this.bodies.set(key, body);
    return body;
  }

  /** Renders the debits of a done chunk into the bodies of every batch and sequence type. */
  async addChunk(chunk: ChunkRef): Promise<void> {
    const batches = await this.db
      .selectFrom("payment_batches")
      .select("id")
      .where("run_id", "=", this.run.id)
      .where("kind", "=", "direct_debit")
      .orderBy("id")
      .execute();
    for (const { id } of batches) {
      for (const seq of SEQUENCE_TYPES) await this.addPages(chunk, id, seq);
    }
  }

  /**
   * Keyset pages along invoices_batch_idx (batch, sequence type, policy, period), bounded by the
   * chunk's range: every page is one index range scan, as in writeRunFiles. (Ordering by policy
   * alone over the primary key made the planner sort the whole rest of the chunk for every page.)
   */
  private async addPages(chunk: ChunkRef, batchId: number, seq: DirectDebitTransaction["sequenceType"]) {
    let after: { policy_id: string; period_start: IsoDate } | null = null;
    for (;;) {
      const from: RawBuilder<boolean> = after
        ? sql<boolean>`(i.policy_id, i.period_start) > (${after.policy_id}::uuid, ${after.period_start}::date)`
        : sql<boolean>`true`;
      const result = await sql<TxRow>`
        select i.policy_id, i.reference, i.amount_cents, i.sequence_type, i.period_start, i.period_end,
               p.number, m.reference as mandate_reference, m.signed_on, m.account_holder, m.iban, m.bic
        from invoices i
        join policies p on p.id = i.policy_id
        join sepa_mandates m on m.id = i.mandate_id
        where i.batch_id = ${batchId}::int8 and i.sequence_type = ${seq}
          and ${idRange("i.policy_id", chunk)} and ${from}
        order by i.batch_id, i.sequence_type, i.policy_id, i.period_start
        limit ${PAGE_SIZE}`.execute(this.db);
      const rows = result.rows;
      if (rows.length === 0) return;
      const txs = rows.map((r) => toTransaction(r, this.lastDays));
      const batch = await this.batch(batchId);
      const body = await this.body(batchId, seq);
      body.first ??= txs[0];
      body.count += txs.length;
      for (const t of txs) body.total += t.amount;
      await body.file.write(batch.templates.renderPage(txs) ?? renderTransactions(batch.header, txs));
      if (rows.length < PAGE_SIZE) return;
      const last = rows[rows.length - 1]!;
      after = { policy_id: last.policy_id, period_start: last.period_start };
    }
  }

  /** After every chunk was added: one file per batch, checked against the database's totals. */
  async finish(): Promise<WrittenFile[]> {
    for (const b of this.bodies.values()) await b.file.close();
    await mkdir(this.outDir, { recursive: true });
    const batches = await this.db
      .selectFrom("payment_batches")
      .selectAll()
      .where("run_id", "=", this.run.id)
      .where("kind", "=", "direct_debit")
      .orderBy("collection_date")
      .execute();
    const written: WrittenFile[] = [];
    for (const batch of batches) {
      const groups = SEQUENCE_TYPES.flatMap((seq) => {
        const b = this.bodies.get(`${batch.id}|${seq}`);
        return b?.first ? [{ ...b, first: b.first, bodyPath: b.path }] : [];
      });
      if (groups.length === 0) continue;
      const totals = await this.db
        .selectFrom("invoices")
        .select(["sequence_type", (eb) => eb.fn.countAll<number>().as("count")])
        .where("batch_id", "=", batch.id)
        .groupBy("sequence_type")
        .execute();
      for (const t of totals) {
        const g = groups.find((x) => x.sequenceType === t.sequence_type);
        if (Number(t.count) !== (g?.count ?? 0)) {
          throw new AppError(
            "conflict",
            `${t.sequence_type} debits of batch ${batch.id} changed while writing`,
          );
        }
      }
      const fileName = `pain008-${this.run.runDate}-${batch.collection_date}.xml`;
      const path = join(this.outDir, fileName);
      const b = await this.batch(batch.id);
      await assembleDirectDebitFile(path, b.header, groups);
      const transactions = groups.reduce((n, g) => n + g.count, 0);
      const total = groups.reduce((n, g) => n + g.total, 0);
      await recordWritten(this.db, this.ctx, batch.id, fileName, transactions, total);
      written.push({ batchId: batch.id, path, collectionDate: batch.collection_date, transactions, total });
    }
    await this.discard();
    return written;
  }

  /** Removes the body files (after the files are written, or when the run fails). */
  async discard(): Promise<void> {
    for (const b of this.bodies.values()) {
      await b.file.close().catch(() => undefined);
    }
    this.bodies.clear();
    if (this.bodyDir) await rm(this.bodyDir, { recursive: true, force: true });
    this.bodyDir = undefined;
  }
}
