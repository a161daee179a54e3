import { join, resolve } from "node:path";
import { Presets, SingleBar } from "cli-progress";
import type { Command } from "commander";
import { billingConfig, runBilling } from "../billing/index.ts";
import { type Db, openDatabase } from "../db/connection.ts";
import { migrate } from "../db/migrate.ts";
import { billingRunReport } from "../flows/finance/reports.ts";
import { defaultCatalog } from "../products/index.ts";
import type { Ctx } from "../shared/context.ts";
import { parseDate } from "../shared/dates.ts";
import { ValidationError } from "../shared/errors.ts";
import { formatAmount } from "../shared/money.ts";
import { outputDir } from "./args.ts";
import { callServer, JSON_OPTION, owningServer, printReport } from "./remote.ts";

/** The configured database, as the server opens it: DATABASE_URL, else PGlite in DATA_DIR/pglite. */
export async function openCliDatabase(env = process.env): Promise<Db> {
  let db: Db;
  if (env.DATABASE_URL) db = await openDatabase({ url: env.DATABASE_URL });
  else {
    const dataDir = await outputDir(join(resolve(env.DATA_DIR || "./data"), "pglite"), "DATA_DIR");
    db = await openDatabase({ dataDir });
  }
  await migrate(db);
  return db;
}

export function cliCtx(): Ctx {
  return { actor: "cli", now: new Date(), catalog: defaultCatalog() };
}

function positive(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) {
    throw new ValidationError([{ path: name, message: `must be a positive integer (got "${value}")` }]);
  }
  return n;
}

interface RunOptions {
  json?: boolean;
  date: string;
  out?: string;
  workers?: string;
  chunkSize?: string;
}

async function run(options: RunOptions) {
  const server = owningServer();
  if (server) {
    const local = (["out", "workers", "chunkSize"] as const).filter((o) => options[o] !== undefined);
    if (local.length > 0) {
      throw new ValidationError(
        local.map((o) => ({
          path: `--${o.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
          message: `not available while the server (pid ${server.pid}) owns the embedded database: it bills with its own settings (BANK_DIR)`,
        })),
      );
    }
    const date = parseDate(options.date, "--date");
    printReport(await callServer(server, "POST", "/api/finance/billing-runs", { date }), {
      via: server,
      json: options.json,
    });
    return;
  }
  const workers = options.workers ? positive(options.workers, "--workers") : 1;
  const base = billingConfig();
  const config = options.chunkSize
    ? { ...base, chunkSize: positive(options.chunkSize, "--chunk-size") }
    : base;
  const url = process.env.DATABASE_URL;
  if (workers > 1 && !url) {
    throw new ValidationError([
      { path: "--workers", message: "needs PostgreSQL (DATABASE_URL): the job queue lives there" },
    ]);
  }
  // Checked before the database is opened: a bad date or folder must not leave a run row behind.
  const date = parseDate(options.date, "--date");
  const outDir = await outputDir(options.out ?? join(process.env.DATA_DIR || "./data", "bank"), "--out");
  const db = await openCliDatabase();
  const bar = new SingleBar(
    {
      stream: process.stderr,
      format: "billing {bar} {value}/{total} chunks | {eta_formatted}",
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  let started = false;
  const onProgress = (p: { done: number; total: number }) => {
    if (!started) {
      bar.start(p.total, p.done);
      started = true;
    } else bar.update(p.done);
  };
  try {
    const summary = await runBilling(db.kysely, cliCtx(), {
      date,
      outDir,
      config,
      onProgress,
      pooled: db.dialect === "postgres",
      ...(workers > 1 && url
        ? {
            // The job queue (graphile-worker) is only loaded when it is used.
            distribute: (await import("../billing/run/workers.ts")).distributeOverProcesses(
              url,
              workers,
              db.kysely,
              onProgress,
            ),
          }
        : {}),
    });
    if (started) bar.stop();
    // Charges (positive corrections) go out with the same run, so none waits for someone to
    // remember `billing charges`; that command stays for runs of its own.
    const { runCharges } = await import("../billing/collections/charges.ts");
    const charges = await runCharges(db.kysely, cliCtx(), { date, outDir, config });
    printReport(billingRunReport(summary, charges), { json: options.json });
  } finally {
    if (started) bar.stop();
    await db.close();
  }
}

export function registerBilling(program: Command) {
  const billing = program.command("billing").description("premium billing: invoices and SEPA direct debits");
  billing
    .command("run")
    .description("invoice everything due up to the date and write one pain.008 per collection date")
    .requiredOption("--date <YYYY-MM-DD>", "the run date: invoices due up to this date")
    .option("--out <dir>", "where the pain.008 files go (default DATA_DIR/bank)")
    .option("--workers <n>", "spread the chunks over n processes (PostgreSQL only)")
    .option("--chunk-size <n>", "policies per chunk (default BILLING_CHUNK_SIZE or 30000)")
    .option(...JSON_OPTION)
    .action(run);
  billing
    .command("set-aside")
    .description(
      "direct debits a run could not put into its bank file, with the reason (asked for by letter)",
    )
    .option("--all", "also those already resolved")
    .action(async (options: { all?: boolean }) => {
      const db = await openCliDatabase();
      try {
        const { listSetAside } = await import("../billing/collections/set-aside.ts");
        const rows = await listSetAside(db.kysely, { all: options.all === true, limit: 100_000 });
        const out = (line: string) => process.stdout.write(`${line}\n`);
        out(`${rows.length} direct debits set aside${options.all ? "" : " and not resolved"}`);
        for (const r of rows) {
          out(
            `  ${r.reference} run ${r.runDate}: EUR ${formatAmount(r.amount)}, ${r.reason}${r.resolved ? " (resolved)" : ""}`,
          );
        }
      } finally {
        await db.close();
      }
    });
  billing
    .command("worker", { hidden: true })
    .description("bill queued chunks until the queue is empty (started by `billing run --workers`)")
    .action(async () => {
      const url = process.env.DATABASE_URL;
      if (!url) throw new ValidationError([{ path: "DATABASE_URL", message: "is required for a worker" }]);
      const db = await openDatabase({ url, poolSize: 2 });
      try {
        const { drainChunkQueue } = await import("../billing/run/workers.ts");
        await drainChunkQueue(url, db.kysely, cliCtx(), billingConfig());
      } finally {
        await db.close();
      }
    });
}
