import type { Kysely } from "kysely";
import { ASSISTANCE_SWEEP } from "../assistance/index.ts";
import type { Database } from "../db/schema.ts";
import type { Ctx } from "../shared/context.ts";
import { DOCUMENT_JOBS } from "./documents.ts";
import { FINANCE_JOBS } from "./finance.ts";

/**
 * The platform's background work, one entry per job. A job is a sweep: it finds what is due in
 * the module's own tables (a breached case, an unsent letter, a run not yet billed) and does it,
 * so running it twice, late or in two workers at once changes nothing the first run did not.
 * The durable state lives in the module's rows, not in the queue; the queue (graphile-worker on
 * PostgreSQL, an in-process timer on the embedded database) only says when to look.
 */
export interface JobReport {
  /** One line for the worker's log: what the sweep did ("3 breaches recorded"). */
  summary: string;
}

/** What a job may need beyond the database: where bank files go. */
export interface JobEnv {
  bankDir: string;
}

export interface Job {
  /** Stable identifier, also the graphile-worker task name: `<module>_<what>`. */
  name: string;
  /** A graphile-worker crontab time spec ("* * * * *" every minute), in UTC. */
  schedule: string;
  /**
   * How far back a missed run is caught up (a worker that was down over the 1st still bills the
   * month); at most once, never once per missed instant. Default one hour.
   */
  backfillHours?: number;
  run(db: Kysely<Database>, ctx: Ctx, env: JobEnv): Promise<JobReport>;
}

/** Modules add their jobs here; `cyberpolis worker` and the embedded server run exactly these. */
export const JOBS: readonly Job[] = [...FINANCE_JOBS, ...DOCUMENT_JOBS, ASSISTANCE_SWEEP];
