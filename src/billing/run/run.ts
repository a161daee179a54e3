import type { Kysely } from "kysely";
import { sql } from "kysely";
import type { Database } from "../../db/schema.ts";
import type { Ctx } from "../../shared/context.ts";
import { type IsoDate, parseDate } from "../../shared/dates.ts";
import type { BillingConfig } from "../config.ts";
import { dueBatches, settleBatches } from "./batches.ts";
import { type ChunkRef, processChunk, type RunRef } from "./chunk.ts";
import { InvoicePlanner } from "./chunk-plan.ts";
import { RunFiles, type WrittenFile } from "./files.ts";
import { withRunLock } from "./run-lock.ts";
import { allDone, pendingChunks, type RunProgress, runTotals, setAsideCount } from "./run-status.ts";

const CHUNKS_IN_FLIGHT = 2;

export interface RunSummary {
  runId: number;
  runDate: IsoDate;
  /** Invoices and amount of the whole run (the same on every re-run). */
  invoices: number;
  total: number;
  /** Invoices created by this invocation (0 when re-running a finished run). */
  newInvoices: number;
  /** Direct-debit invoices without an active mandate: invoiced, not in any file. */
  withoutMandate: number;
  /** Direct debits of the run the bank file could not carry: set aside for finance (set-aside.ts). */
  setAside: number;
  files: WrittenFile[];
}

/** Finds or starts the run of a date; the run date is unique, so a re-run resumes the same run. */
export async function startRun(db: Kysely<Database>, ctx: Ctx, runDate: IsoDate, chunkSize: number) {
  await db
    .insertInto("billing_runs")
    .values({ run_date: runDate, chunk_size: chunkSize, started_at: ctx.now })
    .onConflict((oc) => oc.column("run_date").doNothing())
    .execute();
  return db.selectFrom("billing_runs").selectAll().where("run_date", "=", runDate).executeTakeFirstOrThrow();
}

/**
 * Splits the policies into id ranges of `chunk_size` policies, once per run: the ranges cover the
 * whole id space, so a policy bound after planning still falls in exactly one chunk.
 */
export async function planRun(db: Kysely<Database>, ctx: Ctx, runId: number): Promise<ChunkRef[]> {
  const run = await db
    .selectFrom("billing_runs")
    .selectAll()
    .where("id", "=", runId)
    .executeTakeFirstOrThrow();
  if (run.chunks === null) {
    // Every chunk_size-th id, each found by skipping chunk_size entries of the primary key from the
    // one before: a fifth of the cost of numbering every id with a window function.
    const bounds = await sql<{ id: string }>`
      with recursive edge(id) as (
        (select id from policies order by id offset ${run.chunk_size - 1}::int8 limit 1)
        union all
        select (select p.id from policies p where p.id > edge.id order by p.id
                offset ${run.chunk_size - 1}::int8 limit 1)
        from edge where edge.id is not null
      )
      select id from edge where id is not null`.execute(db);
    const edges = bounds.rows.map((r) => r.id);
    await db.transaction().execute(async (tx) => {
      const claimed = await tx
        .updateTable("billing_runs")
        .set({ chunks: edges.length + 1, planned_at: ctx.now })
        .where("id", "=", runId)
        .where("chunks", "is", null)
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) return;
      const rows = Array.from({ length: edges.length + 1 }, (_, i) => ({
        run_id: runId,
        chunk_no: i,
        lo: i === 0 ? null : edges[i - 1]!,
        hi: i === edges.length ? null : edges[i]!,
      }));
      for (let i = 0; i < rows.length; i += 1000) {
        await tx
          .insertInto("billing_run_chunks")
          .values(rows.slice(i, i + 1000))
          .execute();
      }
    });
  }
  const chunks = await db
    .selectFrom("billing_run_chunks")
    .select(["chunk_no", "lo", "hi"])
    .where("run_id", "=", runId)
    .orderBy("chunk_no")
    .execute();
  return chunks.map((c) => ({ chunkNo: c.chunk_no, lo: c.lo, hi: c.hi }));
}

export interface RunBillingOptions {
  date: string;
  outDir: string;
  config: BillingConfig;
  onProgress?: (p: RunProgress) => void;
  /**
   * Bills the pending chunks some other way (the PostgreSQL job queue) and resolves when they are
   * done; without it the chunks are billed here, one after the other.
   */
  distribute?: (run: RunRef, chunks: number[]) => Promise<void>;
  /** The database serves several connections at once (PostgreSQL, not PGlite): see ChunkOptions. */
  pooled?: boolean;
}

/**
 * `billing run`: invoices due up to the date, their ledger entries and one pain.008 per collection
 * date. Chunked by policy id and resumable: every chunk commits on its own, a re-run skips done
 * chunks and rewrites the files from the database.
 */
export async function runBilling(
  db: Kysely<Database>,
  ctx: Ctx,
  opts: RunBillingOptions,
): Promise<RunSummary> {
  const runDate = parseDate(opts.date, "date");
  // One invocation per run date at a time: a second is refused (run-lock.ts).
  return withRunLock(db, runDate, opts.pooled === true, () => runLocked(db, ctx, runDate, opts));
}

async function runLocked(
  db: Kysely<Database>,
  ctx: Ctx,
  runDate: IsoDate,
  opts: RunBillingOptions,
): Promise<RunSummary> {
  const started = await startRun(db, ctx, runDate, opts.config.chunkSize);
  await db.updateTable("billing_runs").set({ invoked_at: ctx.now }).where("id", "=", started.id).execute();
  const run: RunRef = { id: started.id, runDate };
  const chunks = await planRun(db, ctx, run.id);
  const before = await runTotals(db, run.id);
  const pending = await pendingChunks(db, run.id);
  const due = await dueBatches(db, runDate);
  let progress = { done: chunks.length - pending.length, total: chunks.length };
  opts.onProgress?.(progress);
  // Chunk k's part of the files is rendered while the database bills chunk k+1 (files.ts).
  const files = new RunFiles(db, ctx, opts.config, run, opts.outDir);
  let written: WrittenFile[];
  try {
    if (opts.distribute) {
      await renderWhileDistributed(db, run, chunks, files, opts.distribute(run, pending));
    } else {
      const planner = new InvoicePlanner(ctx.catalog, runDate, opts.config.preNotificationDays);
      const todo = new Set(pending);
      const inflight: Promise<unknown>[] = [];
      let rendering: Promise<void> = Promise.resolve();
      const rendered: Promise<void>[] = [Promise.resolve(), Promise.resolve()];
      try {
        for (const chunk of chunks) {
          if (todo.has(chunk.chunkNo)) {
            // Two chunks in flight: the database stages and plans one while it inserts the other;
            // a chunk waits for the rendering of the one before last, so debits never pile up.
            while (inflight.length >= CHUNKS_IN_FLIGHT) await inflight.shift();
            await rendered.shift();
            const billed = processChunk(db, ctx, planner, run, chunk, due, {
              creditor: opts.config.creditor,
              batchesApart: opts.pooled,
            });
            const counted = billed.then(() => {
              progress = { done: progress.done + 1, total: progress.total };
              opts.onProgress?.(progress);
            });
            counted.catch(() => undefined);
            inflight.push(counted);
            rendering = rendering.then(async () => {
              const b = await billed;
              await (b.skipped ? files.addChunk(chunk) : files.addDebits(b.debits, chunk));
            });
            rendered.push(rendering);
          } else {
            rendering = rendering.then(() => files.addChunk(chunk));
          }
          // Awaited below; until then a failure must not count as an unhandled rejection.
          rendering.catch(() => undefined);
        }
        await Promise.all(inflight);
        await rendering;
      } catch (e) {
        // Nothing may still be writing when the caller closes the database.
        await Promise.allSettled([...inflight, rendering]);
        throw e;
      }
    }
    await allDone(db, run);
    written = await files.finish();
  } catch (e) {
    await files.discard();
    throw e;
  }
  await settleBatches(db, due);
  await db
    .updateTable("billing_runs")
    .set((eb) => ({ finished_at: eb.fn.coalesce("finished_at", eb.val(ctx.now)) }))
    .where("id", "=", run.id)
    .execute();
  const after = await runTotals(db, run.id);
  return {
    runId: run.id,
    runDate,
    invoices: after.count,
    total: after.total,
    newInvoices: after.count - before.count,
    withoutMandate: after.withoutMandate,
    setAside: await setAsideCount(db, run.id),
    files: written,
  };
}

/**
 * While other processes bill the chunks, this one renders each chunk's part of the files as soon as
 * it and every chunk before it are done, so the files are ready shortly after the last chunk.
 */
async function renderWhileDistributed(
  db: Kysely<Database>,
  run: RunRef,
  chunks: readonly ChunkRef[],
  files: RunFiles,
  billing: Promise<void>,
): Promise<void> {
  let failed: unknown;
  let finished = false;
  const settled = billing.then(
    () => {
      finished = true;
    },
    (e: unknown) => {
      failed = e ?? new Error("billing workers failed");
      finished = true;
    },
  );
  let next = 0;
  while (next < chunks.length) {
    if (failed !== undefined) break;
    const done = await db
      .selectFrom("billing_run_chunks")
      .select("chunk_no")
      .where("run_id", "=", run.id)
      .where("chunk_no", ">=", chunks[next]!.chunkNo)
      .where("done_at", "is not", null)
      .orderBy("chunk_no")
      .execute();
    let advanced = false;
    for (const d of done) {
      if (d.chunk_no !== chunks[next]?.chunkNo) break;
      await files.addChunk(chunks[next]!);
      next += 1;
      advanced = true;
    }
    if (!advanced) {
      if (finished) break;
      await Promise.race([settled, new Promise((r) => setTimeout(r, 200))]);
    }
  }
  await settled;
  if (failed !== undefined) throw failed;
}
