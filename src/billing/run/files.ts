import { openSync, writeSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Kysely } from "kysely";
import { sql } from "kysely";
import type { SequenceType } from "../../bank/index.ts";
import { SEQUENCE_TYPES } from "../../bank/index.ts";
import type { Database } from "../../db/schema.ts";
import type { Ctx } from "../../shared/context.ts";
import type { IsoDate } from "../../shared/dates.ts";
import { AppError } from "../../shared/errors.ts";
import { type SetAsideDebit, setAsideDebits } from "../collections/set-aside.ts";
import type { BillingConfig } from "../config.ts";
import { recordWritten } from "./batches.ts";
import { type Body, close, flush, WRITE_SIZE, write } from "./body-file.ts";
import type { ChunkRef, RunRef } from "./chunk.ts";
import { readBackChunk } from "./chunk-readback.ts";
import { type DebitGroup, rawTransaction } from "./debits.ts";
import { NODE_RENDERED } from "./pain008-sql/pain008-sql.ts";
import {
  assembleDirectDebitFile,
  type FileHeader,
  headRoom,
  renderTransactions,
} from "./pain008-sql/pain008-stream.ts";
import { TransactionTemplates } from "./pain008-sql/pain008-template.ts";
import { renderOrRefuse } from "./render-or-refuse.ts";

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

// Rows rendered in Node at a time. Rendering shares the event loop with the chunk's many short
// statements: a small page keeps the next statement from waiting long behind it.
const RENDER_SIZE = 250;
interface Batch {
  header: FileHeader;
  templates: TransactionTemplates;
  firstPeriod: IsoDate | null;
}

export class RunFiles {
  private readonly bodies = new Map<string, Body>();
  private readonly batches = new Map<number, Batch>();
  private rendered = { count: 0, total: 0 };
  private unrecorded = { count: 0, total: 0 };
  private setAsideCount = 0;
  // Bodies live in a hidden folder of the output directory, on its file system: the first body of
  // a file becomes the file (a rename), and a run killed mid-way leaves no half-made file.
  private bodyDir: string | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly ctx: Ctx,
    private readonly config: BillingConfig,
    private readonly run: RunRef,
    private readonly outDir: string,
  ) {}

  /** The debits a chunk's insert handed back, per batch and sequence type in file order. */
  async addDebits(groups: readonly DebitGroup[], chunk: ChunkRef): Promise<void> {
    for (const g of groups) await this.addGroup(g, chunk);
  }

  /** The debits of a chunk billed elsewhere, read back (chunk-readback.ts). */
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
    await this.addDebits(
      await readBackChunk(this.db, this.config.creditor, this.run, chunk, firstPeriod),
      chunk,
    );
    if (legacy) {
      this.unrecorded.count += this.rendered.count - before.count;
      this.unrecorded.total += this.rendered.total - before.total;
    }
  }

  /**
   * One group's debits appended to its body: the text the database rendered, with the debits it
   * marked rendered here through the templates or, for a page they don't accept, the bank writer.
   * A debit the writer refuses is set aside (set-aside.ts) instead of failing the file.
   */
  private async addGroup(g: DebitGroup, chunk: ChunkRef): Promise<void> {
    const batch = await this.batch(g.batch_id);
    const body = await this.body(g.batch_id, g.sequence_type, batch.header);
    if (batch.firstPeriod === null || g.firstPeriod < batch.firstPeriod) batch.firstPeriod = g.firstPeriod;
    body.count += g.count;
    body.total += g.total;
    this.rendered.count += g.count;
    this.rendered.total += g.total;
    if (g.raw.length === 0) {
      for (const text of g.texts) write(body, text);
    } else {
      const parts = g.texts.join("").split(NODE_RENDERED);
      if (parts.length !== g.raw.length + 1) {
        throw new Error(
          `billing run ${this.run.runDate}: ${g.raw.length} debits to render, ${parts.length - 1} marked`,
        );
      }
      for (let i = 0; i < g.raw.length; i += RENDER_SIZE) {
        const raws = g.raw.slice(i, i + RENDER_SIZE);
        const page = raws.map((r) => rawTransaction(g.sequence_type, r));
        const aside: SetAsideDebit[] = [];
        for (const [j, r] of renderOrRefuse(batch, page).entries()) {
          if (r.xml !== null) {
            write(body, parts[i + j]! + r.xml);
            continue;
          }
          write(body, parts[i + j]!);
          const raw = raws[j]!;
          aside.push({
            policyNumber: raw.number,
            periodStart: raw.period_start,
            periodEnd: raw.period_end,
            amount: raw.amount_cents,
            reference: page[j]!.endToEndId,
            reason: r.reason,
          });
        }
        if (aside.length > 0) await this.setAside(body, batch, g.batch_id, chunk, aside);
        await new Promise((resolve) => setImmediate(resolve));
      }
      write(body, parts[g.raw.length]!);
    }
  }

  private async setAside(
    body: Body,
    batch: Batch,
    batchId: number,
    chunk: ChunkRef,
    debits: SetAsideDebit[],
  ): Promise<void> {
    await setAsideDebits(
      this.db,
      this.ctx,
      this.config,
      { runRef: this.run, chunkNo: chunk.chunkNo, batchId, collectionDate: batch.header.collectionDate },
      debits,
    );
    const cents = debits.reduce((n, d) => n + d.amount, 0);
    body.count -= debits.length;
    body.total -= cents;
    this.rendered.count -= debits.length;
    this.rendered.total -= cents;
    this.setAsideCount += debits.length;
  }

  /** Debits set aside by this invocation. */
  get setAsideDebits(): number {
    return this.setAsideCount;
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

  private async body(batchId: number, seq: SequenceType, header: FileHeader): Promise<Body> {
    const key = `${batchId}|${seq}`;
    let body = this.bodies.get(key);
    if (body) return body;
    if (!this.bodyDir) {
      // A folder of the run's own, left behind only by a killed invocation of the same run.
      const dir = join(this.outDir, `.pain008-run-${this.run.id}`);
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir, { recursive: true });
      this.bodyDir = dir;
    }
    const path = join(this.bodyDir, `${batchId}-${seq}.body`);
    const fd = openSync(path, "w");
    // Room for the file's head, should this body become the file (pain008-stream.ts).
    writeSync(fd, " ".repeat(headRoom(header)));
    body = { path, count: 0, total: 0, fd, buffer: Buffer.allocUnsafe(WRITE_SIZE), used: 0 };
    this.bodies.set(key, body);
    return body;
  }

  /**
   * After every chunk was added: one file per batch. What was rendered must be what the chunks
   * recorded they put into the files, or something changed the run's debits while writing.
   */
  async finish(): Promise<WrittenFile[]> {
    for (const b of this.bodies.values()) {
      flush(b);
      close(b);
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
        return b && b.count > 0 ? [{ ...b, sequenceType: seq, bodyPath: b.path }] : [];
      });
      if (groups.length === 0) continue;
      const fileName = `pain008-${this.run.runDate}-${collection_date}.xml`;
      const path = join(this.outDir, fileName);
      const batch = await this.batch(id);
      assembleDirectDebitFile(path, batch.header, groups);
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
    for (const b of this.bodies.values()) close(b);
    this.bodies.clear();
    if (this.bodyDir) await rm(this.bodyDir, { recursive: true, force: true });
    this.bodyDir = undefined;
  }
}
