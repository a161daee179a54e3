import { Logger, parseCronItems, type Runner, run, type TaskList } from "graphile-worker";
import type { Kysely } from "kysely";
import type { Pool } from "pg";
import type { Database } from "../db/schema.ts";
import type { Catalog } from "../products/index.ts";
import type { Job, JobEnv } from "./tasks.ts";

export interface WorkerOptions {
  /** The server: a URL, or the pool the process already has. */
  connection: { connectionString: string } | { pgPool: Pool };
  db: Kysely<Database>;
  jobs: readonly Job[];
  env: JobEnv;
  catalog: Catalog;
  concurrency?: number;
  log: (line: string) => void;
}

/**
 * `cyberpolis worker` on PostgreSQL: graphile-worker drains the queue and owns the crontab.
 * Any number of workers may run; graphile-worker schedules each crontab instant once across all
 * of them (and backfills a missed one once), and each job is a sweep that a second run would
 * find nothing left to do in, so a retry after a crash is harmless.
 */
export async function startWorker(opts: WorkerOptions): Promise<Runner> {
  const taskList: TaskList = {};
  for (const job of opts.jobs) {
    taskList[job.name] = async () => {
      const report = await job.run(
        opts.db,
        { actor: `job:${job.name}`, now: new Date(), catalog: opts.catalog },
        opts.env,
      );
      opts.log(`job ${job.name}: ${report.summary}`);
    };
  }
  const parsedCronItems = parseCronItems(
    opts.jobs.map((j) => ({
      task: j.name,
      match: j.schedule,
      identifier: j.name,
      options: { backfillPeriod: (j.backfillHours ?? 1) * 3_600_000, maxAttempts: 5 },
    })),
  );
  return run({
    ...opts.connection,
    concurrency: opts.concurrency ?? 2,
    taskList,
    parsedCronItems,
    noHandleSignals: true,
    logger: new Logger(() => (level, message) => {
      if (level === "error" || level === "warning") opts.log(`worker ${level}: ${message}`);
    }),
  });
}
