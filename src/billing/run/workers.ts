import { spawn } from "node:child_process";
import { Logger, makeWorkerUtils, runOnce } from "graphile-worker";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";
import type { Ctx } from "../../shared/context.ts";
import { repoPath } from "../../shared/paths.ts";
import type { BillingConfig } from "../config.ts";
import { dueBatches } from "./batches.ts";
import { processChunk, type RunRef } from "./chunk.ts";
import { InvoicePlanner } from "./chunk-plan.ts";
import { chunkProgress, type RunProgress } from "./run-status.ts";

/**
 * `--workers N` on PostgreSQL: every pending chunk becomes a graphile-worker job (its job key is
 * the run and chunk, so a re-run doesn't queue it twice), and N child processes drain the queue.
 * The chunk row lock and the invoices' primary key keep two workers from billing a period twice.
 */

export const CHUNK_TASK = "cyberpolis_billing_chunk";
const BIN = repoPath("bin/cyberpolis.mjs");

interface ChunkJob {
  runId: number;
  runDate: string;
  chunkNo: number;
}

function isChunkJob(value: unknown): value is ChunkJob {
  const v = value as Partial<ChunkJob> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    typeof v.runId === "number" &&
    typeof v.runDate === "string" &&
    typeof v.chunkNo === "number"
  );
}

// graphile-worker logs every job; the progress bar already says what matters.
const quiet = new Logger(() => (level, message) => {
  if (level === "error") process.stderr.write(`worker: ${message}\n`);
});

export async function enqueueChunks(connectionString: string, run: RunRef, chunks: number[]): Promise<void> {
  const utils = await makeWorkerUtils({ connectionString, logger: quiet });
  try {
    await utils.migrate();
    for (let i = 0; i < chunks.length; i += 500) {
      await utils.addJobs(
        chunks.slice(i, i + 500).map((chunkNo) => ({
          identifier: CHUNK_TASK,
          payload: { runId: run.id, runDate: run.runDate, chunkNo },
          jobKey: `billing:${run.id}:${chunkNo}`,
          maxAttempts: 3,
        })),
      );
    }
  } finally {
    await utils.release();
  }
}

/** A worker process: bills queued chunks until the queue is empty, then returns. */
export async function drainChunkQueue(
  connectionString: string,
  db: Kysely<Database>,
  ctx: Ctx,
  config: BillingConfig,
): Promise<void> {
  const planners = new Map<string, InvoicePlanner>();
  await runOnce({
    connectionString,
    concurrency: 1,
    logger: quiet,
    noHandleSignals: true,
    taskList: {
      [CHUNK_TASK]: async (payload) => {
        if (!isChunkJob(payload)) throw new Error(`bad billing chunk job ${JSON.stringify(payload)}`);
        let planner = planners.get(payload.runDate);
        if (!planner) {
          planner = new InvoicePlanner(ctx.catalog, payload.runDate, config.preNotificationDays);
          planners.set(payload.runDate, planner);
        }
        const chunk = await db
          .selectFrom("billing_run_chunks")
          .select(["chunk_no", "lo", "hi"])
          .where("run_id", "=", payload.runId)
          .where("chunk_no", "=", payload.chunkNo)
          .executeTakeFirstOrThrow();
        await processChunk(
          db,
          { ...ctx, now: new Date() },
          planner,
          { id: payload.runId, runDate: payload.runDate },
          { chunkNo: chunk.chunk_no, lo: chunk.lo, hi: chunk.hi },
          await dueBatches(db, payload.runDate),
          { batchesApart: true },
        );
      },
    },
  });
}

/** The `distribute` hook of runBilling: queue the chunks, start N workers, report progress, wait. */
export function distributeOverProcesses(
  connectionString: string,
  workers: number,
  db: Kysely<Database>,
  onProgress?: (p: RunProgress) => void,
) {
  return async (run: RunRef, chunks: number[]): Promise<void> => {
    await enqueueChunks(connectionString, run, chunks);
    const children = Array.from({ length: workers }, () =>
      spawn(process.execPath, [BIN, "billing", "worker"], {
        env: { ...process.env, DATABASE_URL: connectionString },
        stdio: ["ignore", "ignore", "inherit"],
      }),
    );
    const exits = children.map(
      (child) =>
        new Promise<number>((resolve) => {
          child.on("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
          child.on("error", () => resolve(1));
        }),
    );
    let finished = false;
    const all = Promise.all(exits).finally(() => {
      finished = true;
    });
    while (!finished) {
      await Promise.race([all, new Promise((r) => setTimeout(r, 500))]);
      onProgress?.(await chunkProgress(db, run.id));
    }
    const codes = await all;
    const failed = codes.filter((c) => c !== 0).length;
    if (failed > 0) throw new Error(`${failed} of ${workers} billing workers failed; run again to resume`);
  };
}
