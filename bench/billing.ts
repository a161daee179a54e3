/**
 * `npm run bench:billing -- --policies 1000000 [--workers N] [--chunk-size N] [--month N]` on
 * PostgreSQL (BENCH_DATABASE_URL, TEST_DATABASE_URL or the local server): seeds monthly
 * direct-debit policies started in January 2026 (untimed), times `billing run` for the end of
 * January (one invoice per policy and its pain.008 files) as a separate process, then times a raw
 * COPY of as many invoice rows into a scratch table. With `--month N` the months before N are billed
 * first, untimed, and month N is timed: the steady state, where each policy's last invoice is looked
 * up and the previous month's debits are settled. Last line:
 * {"policies","month","seconds","copy_seconds","ratio","peak_rss_mb"}.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { composeIBAN } from "ibantools";
import { sql } from "kysely";
import { openDatabase } from "../src/db/connection.ts";
import { migrate } from "../src/db/migrate.ts";
import { scratchDatabase } from "./scratch-db.ts";

const { values } = parseArgs({
  options: {
    policies: { type: "string", default: "10000" },
    workers: { type: "string", default: "1" },
    // Without it the run uses its own default (BILLING_CHUNK_SIZE). Bigger chunks mean fewer commits
    // and per-chunk statements; memory grows with the debits a chunk hands to the file writer.
    "chunk-size": { type: "string" },
    month: { type: "string", default: "1" },
  },
});
const month = Number(values.month);
if (!Number.isInteger(month) || month < 1 || month > 12) throw new Error("--month must be 1 to 12");
/** The last day of a month of 2026. */
const monthEnd = (m: number) => new Date(Date.UTC(2026, m, 0)).toISOString().slice(0, 10);
const policies = Number(values.policies);
const log = (line: string) => process.stderr.write(`${line}\n`);
const scratch = await scratchDatabase("cyberpolis_bench");
const benchUrl = scratch.url;
const db = await openDatabase({ url: benchUrl });
await migrate(db);

log(`seeding ${policies} policies…`);
const ibans = Array.from({ length: 1000 }, (_, i) => ({
  n: i,
  iban: composeIBAN({ countryCode: "NL", bban: `ABNA${String(i).padStart(10, "0")}` })!,
}));
await sql`create table bench_ibans as select * from json_to_recordset(${JSON.stringify(ibans)}::json) as x(n int, iban text)`.execute(
  db.kysely,
);
await sql`insert into parties (id, name, created_at)
  select md5('party' || i)::uuid, 'Klant ' || i, now() from generate_series(1, ${policies}::int) i`.execute(
  db.kysely,
);
// Ids as the application makes them (UUIDv7, src/shared/ids.ts): a millisecond timestamp first, so
// they sort in insertion order and a chunk's id range is a contiguous stretch of the heap. One policy
// per millisecond from 2026-01-01; the rest of the uuid is hashed from the row number.
const v7 = (kind: string, i: string) =>
  sql.raw(`(lpad(to_hex(1767225600000 + ${i}::int8), 12, '0') || '7' || substr(md5('${kind}' || ${i}), 1, 3)
    || '8' || substr(md5('${kind}' || ${i}), 4, 15))::uuid`);
await sql`insert into policies (id, number, party_id, product_code, product_version, household, start_date,
    payment_frequency, payment_method, created_at, updated_at)
  select ${v7("policy", "i")}, 'NL-B' || lpad(i::text, 9, '0'), md5('party' || i)::uuid, 'nl-cyber', 1,
    case when i % 2 = 0 then 'single' else 'family' end, date '2026-01-01' + (i % 28),
    'monthly', 'sepa_direct_debit', now(), now()
  from generate_series(1, ${policies}::int) i`.execute(db.kysely);
// Each mandate signed with its policy: the same order, so mandates are clustered like policies.
await sql`insert into sepa_mandates (id, policy_id, reference, account_holder, iban, signed_on, consent_text, created_at)
  select ${v7("mandate", "substr(p.number, 5)::int")}, p.id, p.number || '-M0', 'Klant ' || p.number, b.iban,
    p.start_date, 'Ik machtig Cyberpolis', now()
  from policies p join bench_ibans b on b.n = (substr(p.number, 5)::int % 1000)
  order by p.id`.execute(db.kysely);
// The seeded rows as a database that has run for a while has them: vacuumed (visibility map and
// hint bits set, statistics gathered) and checkpointed. Otherwise the timed run would pay for
// the seeding: the first reader of each new row sets its hint bits (writing every page of
// policies and mandates once more), autovacuum wakes on the fresh tables mid-run, and the
// checkpoint the run's WAL triggers would write out the seeded pages.
await sql`vacuum (analyze)`.execute(db.kysely);
await sql`checkpoint`.execute(db.kysely);
await db.close();

const out = await mkdtemp(join(tmpdir(), "cp-bench-"));
const billingRun = (date: string) =>
  spawn(
    process.execPath,
    [
      join(import.meta.dirname, "../bin/cyberpolis.mjs"),
      "billing",
      "run",
      "--date",
      date,
      "--out",
      out,
      "--workers",
      values.workers,
      ...(values["chunk-size"] ? ["--chunk-size", values["chunk-size"]] : []),
    ],
    { env: { ...process.env, DATABASE_URL: benchUrl }, stdio: ["ignore", "inherit", "inherit"] },
  );
const exited = (child: ReturnType<typeof spawn>) =>
  new Promise<number | null>((resolve) => child.on("exit", resolve));
for (let m = 1; m < month; m++) {
  log(`billing run ${monthEnd(m)} (untimed)…`);
  const code = await exited(billingRun(monthEnd(m)));
  if (code !== 0) throw new Error(`billing run exited with ${code}`);
}
if (month > 1) execFileSync("psql", [benchUrl, "-qc", "vacuum (analyze)", "-c", "checkpoint"]);
log(`billing run ${monthEnd(month)}…`);
const started = performance.now();
const child = billingRun(monthEnd(month));
// The child's peak resident set (VmHWM), sampled until it exits.
let peakKb = 0;
const sampler = setInterval(async () => {
  try {
    const status = await readFile(`/proc/${child.pid}/status`, "utf8");
    const m = /VmHWM:\s+(\d+)/.exec(status);
    if (m) peakKb = Math.max(peakKb, Number(m[1]));
  } catch {
    // The process has just exited.
  }
}, 100);
const code = await exited(child);
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
if (code !== 0) throw new Error(`billing run exited with ${code}`);

log("raw COPY of the same invoice rows…");
const csv = join(out, "invoices.csv");
const timedRun = `(select * from invoices where issued_on = '${monthEnd(month)}')`;
execFileSync("psql", [benchUrl, "-qc", `\\copy ${timedRun} to '${csv}' csv`]);
execFileSync("psql", [benchUrl, "-qc", "create table bench_scratch (like invoices)"]);
const copyStart = performance.now();
execFileSync("psql", [benchUrl, "-qc", `\\copy bench_scratch from '${csv}' csv`]);
const copySeconds = (performance.now() - copyStart) / 1000;
await rm(out, { recursive: true, force: true });

const round = (n: number) => Math.round(n * 100) / 100;
process.stdout.write(
  `${JSON.stringify({
    policies,
    month,
    seconds: round(seconds),
    copy_seconds: round(copySeconds),
    ratio: round(seconds / copySeconds),
    peak_rss_mb: Math.round(peakKb / 1024),
  })}\n`,
);
