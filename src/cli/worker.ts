import type { Command } from "commander";
import { bankDir, JOBS } from "../jobs/index.ts";
import { ValidationError } from "../shared/errors.ts";
import { outputDir } from "./args.ts";
import { cliCtx, openCliDatabase } from "./billing.ts";

const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);

export function registerWorker(program: Command) {
  program
    .command("worker")
    .description(
      "run the scheduled jobs (billing run, dunning, payments export, …): graphile-worker on DATABASE_URL, " +
        "else the embedded database's own scheduler (which `serve` also runs)",
    )
    .option("--run <job>", `run one job now and exit (${JOBS.map((j) => j.name).join(", ")})`)
    .option("--list", "list the jobs and their schedules, then exit")
    .option("--json", "with --run or --list: print the result as one JSON object ({ok, lines, data})")
    .action(async (options: { run?: string; list?: boolean; json?: boolean }) => {
      const out = (line: string) => process.stdout.write(`${line}\n`);
      if (options.list) {
        const lines = JOBS.map((j) => `${j.name.padEnd(24)} ${j.schedule.padEnd(14)} (UTC)`);
        if (options.json) {
          const data = JOBS.map((j) => ({
            name: j.name,
            schedule: j.schedule,
            backfillHours: j.backfillHours ?? 1,
          }));
          out(JSON.stringify({ ok: true, lines, data }));
        } else for (const l of lines) out(l);
        return;
      }
      const job = options.run === undefined ? undefined : JOBS.find((j) => j.name === options.run);
      if (options.run !== undefined && !job) {
        throw new ValidationError([
          {
            path: "--run",
            message: `unknown job "${options.run}" (one of ${JOBS.map((j) => j.name).join(", ")})`,
          },
        ]);
      }
      const env = { bankDir: await outputDir(bankDir(), "BANK_DIR") };
      const db = await openCliDatabase();
      try {
        const ctx = cliCtx();
        if (job) {
          const report = await job.run(db.kysely, { ...ctx, actor: `job:${job.name}` }, env);
          const line = `${job.name}: ${report.summary}`;
          out(
            options.json
              ? JSON.stringify({ ok: true, lines: [line], data: { job: job.name, ...report } })
              : line,
          );
          return;
        }
        const url = process.env.DATABASE_URL;
        if (url) {
          const { startWorker } = await import("../jobs/worker.ts");
          const runner = await startWorker({
            connection: { connectionString: url },
            db: db.kysely,
            jobs: JOBS,
            env,
            catalog: ctx.catalog,
            log,
          });
          log(`worker started: ${JOBS.length} scheduled jobs on PostgreSQL`);
          const stop = () => void runner.stop();
          process.once("SIGINT", stop);
          process.once("SIGTERM", stop);
          await runner.promise;
        } else {
          const { startScheduler } = await import("../jobs/embedded.ts");
          const scheduler = startScheduler({
            db: db.kysely,
            jobs: JOBS,
            env,
            catalog: ctx.catalog,
            clock: () => new Date(),
            log,
          });
          log(`worker started: ${JOBS.length} scheduled jobs on the embedded database`);
          await new Promise<void>((done) => {
            process.once("SIGINT", done);
            process.once("SIGTERM", done);
          });
          await scheduler.stop();
        }
      } finally {
        await db.close();
      }
    });
}
