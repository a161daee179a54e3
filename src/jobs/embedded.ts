import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
import type { Catalog } from "../products/index.ts";
import { cronMatcher, latestDue } from "./due.ts";
import { lastDue, recordRun } from "./store.ts";
import type { Job, JobEnv } from "./tasks.ts";

export interface SchedulerOptions {
  db: Kysely<Database>;
  jobs: readonly Job[];
  env: JobEnv;
  catalog: Catalog;
  clock: () => Date;
  log: (line: string) => void;
}

export interface Scheduler {
  /** Runs every job that is due now, one after the other; what the timer calls each minute. */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The embedded database's job runner: the server (or `cyberpolis worker` on an embedded folder)
 * runs the scheduled jobs itself, since graphile-worker needs a PostgreSQL server. Like
 * graphile-worker's crontab, a job seen for the first time is registered, not run for the past;
 * after that a run missed while the process was down is caught up once (within the job's
 * backfill), and a failed run is retried with a doubling wait (1, 2, 4 … 60 minutes).
 */
export function createScheduler(opts: SchedulerOptions): Scheduler {
  const matchers = new Map(opts.jobs.map((j) => [j.name, cronMatcher(j.schedule, j.name)]));
  const retry = new Map<string, { at: number; failures: number }>();
  let running: Promise<void> | null = null;

  async function runDue(job: Job): Promise<void> {
    const now = opts.clock();
    const due = latestDue(matchers.get(job.name)!, now, job.backfillHours ?? 1);
    if (!due) return;
    const last = await lastDue(opts.db, job.name);
    if (last === null) {
      await recordRun(opts.db, job.name, due, now, "registered");
      return;
    }
    if (last.getTime() >= due.getTime()) return;
    const wait = retry.get(job.name);
    if (wait && wait.at > now.getTime()) return;
    try {
      const report = await job.run(
        opts.db,
        { actor: `job:${job.name}`, now, catalog: opts.catalog },
        opts.env,
      );
      retry.delete(job.name);
      await recordRun(opts.db, job.name, due, now, report.summary);
      opts.log(`job ${job.name}: ${report.summary}`);
    } catch (e) {
      const failures = (wait?.failures ?? 0) + 1;
      const minutes = Math.min(60, 2 ** (failures - 1));
      retry.set(job.name, { at: now.getTime() + minutes * 60_000, failures });
      opts.log(
        `job ${job.name} failed (attempt ${failures}, next in ${minutes} min): ${(e as Error).message}`,
      );
    }
  }

  async function tickOnce(): Promise<void> {
    for (const job of opts.jobs) await runDue(job);
  }

  return {
    tick() {
      // A tick that finds the previous one still running (a long billing run) waits for it.
      const next = (running ?? Promise.resolve()).then(tickOnce);
      running = next.finally(() => {
        if (running === next) running = null;
      });
      return next;
    },
    async stop() {
      await running;
    },
  };
}

/** Starts the scheduler: a tick now, then one a few seconds into every minute. */
export function startScheduler(opts: SchedulerOptions): { stop(): Promise<void> } {
  const scheduler = createScheduler(opts);
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const schedule = () => {
    if (stopped) return;
    const ms = 60_000 - (Date.now() % 60_000) + 2_000;
    timer = setTimeout(() => {
      void scheduler.tick().catch((e: unknown) => opts.log(`scheduler: ${(e as Error).message}`));
      schedule();
    }, ms);
    timer.unref();
  };
  void scheduler.tick().catch((e: unknown) => opts.log(`scheduler: ${(e as Error).message}`));
  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await scheduler.stop();
    },
  };
}
