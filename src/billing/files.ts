import { mkdir, mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Kysely } from "kysely";
import { type RawBuilder, sql } from "kysely";
import type { DirectDebitTransaction, SequenceType } from "../bank/index.ts";
import { SEQUENCE_TYPES } from "../bank/index.ts";
import type { Database } from "../db/schema.ts";
import type { Ctx } from "../shared/context.ts";
import { addDays, type IsoDate } from "../shared/dates.ts";
import { AppError } from "../shared/errors.ts";
import { recordWritten } from "./batches.ts";
import type { ChunkRef, RunRef } from "./chunk.ts";
import type { DebitRow } from "./chunk-sql.ts";
import { idRange } from "./chunk-stage.ts";
import type { BillingConfig } from "./config.ts";
import { assembleDirectDebitFile, type FileHeader, renderTransactions } from "./pain008-stream.ts";
import { TransactionTemplates } from "./pain008-template.ts";

/**
 * The run's pain.008 files, one per collection date, written chunk by chunk. A file lists its
 * debits by sequence type, then policy id and period, and chunks are policy-id ranges billed in
 * order, so once chunk k is done its part of every file is final: it is rendered into one body file
 * per batch and sequence type, straight from the rows the chunk's insert handed back (or, for a
 * chunk billed by another process or an earlier invocation, read back along the primary key). At
 * the end the envelope (counts and sums first) is written and the bodies copied in behind it.
 * The same invoices give the same bytes: a batch's message id and creation time are stored.
 */

export interface WrittenFile {
  batchId: number;
  path: string;
  collectionDate: IsoDate;
  transactions: number;
  total: number;
}

// Rows per read-back page: large enough that round trips don't matter, small enough to keep memory
// flat.
const PAGE_SIZE = 2000;
// Rows rendered at a time. Rendering shares the event loop with the chunk's many short statements:
// a small page keeps the next statement from waiting long behind it.
const RENDER_SIZE = 250;
// Rendered text is collected and written in pieces of about this many characters.
const WRITE_SIZE = 1 << 20;

interface Body {
  path: string;
  count: number;
  total: number;
  first: DirectDebitTransaction | undefined;
  file: Awaited<ReturnType<typeof open>>;
  pending: string[];
  pendingLength: number;
}

interface Batch {
  header: FileHeader;
  templates: TransactionTemplates;
  firstPeriod: IsoDate | null;
}

export class RunFiles {
  private readonly bodies = new Map<string, Body>();
  private readonly batches = new Map<number, Batch>();
  private readonly lastDays = new Map<IsoDate, IsoDate>();
  private rendered = { count: 0, total: 0 };
  private unrecorded = { count: 0, total: 0 };
  // Bodies live outside the output directory: a run killed mid-way leaves nothing half-made there.
  private bodyDir: string | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly ctx: Ctx,
    private readonly config: BillingConfig,
    private readonly run: RunRef,
    private readonly outDir: string,
  ) {}

  /** The debits a chunk's insert handed back, in file order within each batch and sequence type. */
  async addDebits(rows: readonly DebitRow[]): Promise<void> {
    const groups = new Map<string, DebitRow[]>();
    for (const r of rows) {
      const key = `${r.batch_id}|${r.sequence_type}`;
      const list = groups.get(key);
      if (list) list.push(r);
      else groups.set(key, [r]);
    }
    for (const list of groups.values()) {
      for (let i = 0; i < list.length; i += RENDER_SIZE) {
        await this.render(list.slice(i, i + RENDER_SIZE));
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  }

  /**
   * The debits of a chunk billed elsewhere, read back by its id range in keyset pages along the
   * primary key; the chunk's earliest period bounds the scan inside the index, so older invoices of
   * the same policies are skipped without visiting the table.
   */
  async addChunk(chunk: ChunkRef): Promise<void> {
    const done = await this.db
      .selectFrom("billing_run_chunks")
      .select(["debits", "first_period"])
      .where("run_id", "=", this.run.id)
      .where("chunk_no", "=", chunk.chunkNo)
      .executeTakeFirstOrThrow();
    if (done.debits === 0) return;
    // A chunk billed before its debits were recorded (migration 0008) is read without a period bound
    // and counted here, since there is no record to check it against.
    const legacy = done.debits === null;
    const firstPeriod = done.first_period ?? "-infinity";
    const before = { ...this.rendered };
    let after: { policy_id: string; period_start: IsoDate } | null = null;
    for (;;) {
      const from: RawBuilder<boolean> = after
        ? sql<boolean>`(i.policy_id, i.period_start) > (${after.policy_id}::uuid, ${after.period_start}::date)`
        : sql<boolean>`true`;
      const result = await sql<DebitRow>`
        select i.batch_id, i.sequence_type, i.policy_id, p.number, i.period_start, i.period_end,
               i.amount_cents, m.reference as mandate_reference, m.signed_on, m.account_holder, m.iban,
               m.bic
        from invoices i
        join policies p on p.id = i.policy_id
        join sepa_mandates m on m.id = i.mandate_id
        where ${idRange("i.policy_id", chunk)} and i.period_start >= ${firstPeriod}::date
          and i.run_id = ${this.run.id}::int8 and i.batch_id is not null and ${from}
        order by i.policy_id, i.period_start
        limit ${PAGE_SIZE}`.execute(this.db);
      const rows = result.rows;
      if (rows.length > 0) await this.addDebits(rows);
      if (rows.length < PAGE_SIZE) break;
      const last = rows[rows.length - 1]!;
      after = { policy_id: last.policy_id, period_start: last.period_start };
    }
    if (legacy) {
      this.unrecorded.count += this.rendered.count - before.count;
      this.unrecorded.total += this.rendered.total - before.total;
    }
  }

  /** One page of one batch and sequence type, rendered and appended to its body. */
  private async render(rows: readonly DebitRow[]): Promise<void> {
    const { batch_id: batchId, sequence_type: seq } = rows[0]!;
    const batch = await this.batch(batchId);
    const body = await this.body(batchId, seq);
    const txs = rows.map((r) => this.transaction(r));
    for (const r of rows) {
      if (batch.firstPeriod === null || r.period_start < batch.firstPeriod)
        batch.firstPeriod = r.period_start;
    }
    body.first ??= txs[0];
    body.count += txs.length;
    for (const t of txs) body.total += t.amount;
    this.rendered.count += txs.length;
    for (const t of txs) this.rendered.total += t.amount;
    const text = batch.templates.renderPage(txs) ?? renderTransactions(batch.header, txs);
    body.pending.push(text);
    body.pendingLength += text.length;
    if (body.pendingLength >= WRITE_SIZE) await flush(body);
  }

  private transaction(r: DebitRow): DirectDebitTransaction {
    let last = this.lastDays.get(r.period_end);
    if (!last) {
      last = addDays(r.period_end, -1);
      this.lastDays.set(r.period_end, last);
    }
    return {
      sequenceType: r.sequence_type,
      amount: r.amount_cents,
      endToEndId: `${r.number}-${r.period_start.replaceAll("-", "")}`,
      mandateId: r.mandate_reference,
      mandateSignatureDate: r.signed_on,
      debtorName: r.account_holder,
      debtorIban: r.iban,
      debtorBic: r.bic ?? undefined,
      // What the policyholder reads on the statement: "Premie polis NL-P00000001 2026-01-01 t/m 2026-01-31".
      remittanceInformation: `Premie polis ${r.number} ${r.period_start} t/m ${last}`,
    };
  }

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
    b = { header, templates: new TransactionTemplates(header, renderTransactions), firstPeriod: null };
    this.batches.set(id, b);
    return b;
  }

  private async body(batchId: number, seq: SequenceType): Promise<Body> {
    const key = `${batchId}|${seq}`;
    let body = this.bodies.get(key);
    if (body) return body;
    this.bodyDir ??= await mkdtemp(join(tmpdir(), "cp-pain008-"));
    const path = join(this.bodyDir, `${batchId}-${seq}.body`);
    const file = await open(path, "w");
    body = { path, count: 0, total: 0, first: undefined, file, pending: [], pendingLength: 0 };
    this.bodies.set(key, body);
    return body;
  }

  /**
   * After every chunk was added: one file per batch. What was rendered must be what the chunks
   * recorded they put into the files, or something changed the run's debits while writing.
   */
  async finish(): Promise<WrittenFile[]> {
    for (const b of this.bodies.values()) {
      await flush(b);
      await b.file.close();
    }
    const recorded = await sql<{ debits: number; cents: number }>`
      select coalesce(sum(debits), 0)::int8 as debits, coalesce(sum(debit_cents), 0)::int8 as cents
      from billing_run_chunks where run_id = ${this.run.id}::int8`.execute(this.db);
    const { debits, cents } = recorded.rows[0]!;
    const checked = {
      count: this.rendered.count - this.unrecorded.count,
      total: this.rendered.total - this.unrecorded.total,
    };
    if (debits !== checked.count || cents !== checked.total) {
      throw new AppError(
        "conflict",
        `billing run ${this.run.runDate} recorded ${debits} debits but ${checked.count} were read for its files; run it again`,
      );
    }
    await mkdir(this.outDir, { recursive: true });
    const batches = await this.db
      .selectFrom("payment_batches")
      .select(["id", "collection_date"])
      .where("run_id", "=", this.run.id)
      .where("kind", "=", "direct_debit")
      .orderBy("collection_date")
      .execute();
    const written: WrittenFile[] = [];
    for (const { id, collection_date } of batches) {
      const groups = SEQUENCE_TYPES.flatMap((seq) => {
        const b = this.bodies.get(`${id}|${seq}`);
        return b?.first ? [{ ...b, sequenceType: seq, first: b.first, bodyPath: b.path }] : [];
      });
      if (groups.length === 0) continue;
      const fileName = `pain008-${this.run.runDate}-${collection_date}.xml`;
      const path = join(this.outDir, fileName);
      const batch = await this.batch(id);
      await assembleDirectDebitFile(path, batch.header, groups);
      const transactions = groups.reduce((n, g) => n + g.count, 0);
      const total = groups.reduce((n, g) => n + g.total, 0);
      await recordWritten(this.db, this.ctx, id, fileName, transactions, total, batch.firstPeriod);
      written.push({ batchId: id, path, collectionDate: collection_date, transactions, total });
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

async function flush(body: Body): Promise<void> {
  if (body.pending.length === 0) return;
  const text = body.pending.join("");
  body.pending = [];
  body.pendingLength = 0;
  await body.file.write(text);
}
