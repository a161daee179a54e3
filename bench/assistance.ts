/**
 * `npm run bench:assistance -- [--cases 100000] [--agents 50] [--pages 20]` on PostgreSQL
 * (BENCH_DATABASE_URL, TEST_DATABASE_URL or the local server). Seeds open helpline cases spread
 * over the last week (untimed), then times the breach sweep's pass over them — the first pass,
 * which records the breaches, and the steady pass the worker makes every minute after — against
 * a plain `SELECT count(*)` of the same rows in the same run, and the queue's first page (filtered,
 * sorted by due instant) under `--agents` concurrent agents. Last line:
 * {"cases","first_pass_ms","steady_pass_ms","count_ms","ratio","queue_p50_ms","queue_p99_ms"};
 * goals: ratio ≤ 5 (the steady pass), queue p99 ≤ 50 ms.
 */
import { parseArgs } from "node:util";
import { sql } from "kysely";
import { queueQuery, runAssistanceSweep } from "../src/assistance/index.ts";
import { openDatabase } from "../src/db/connection.ts";
import { migrate } from "../src/db/migrate.ts";
import { defaultCatalog } from "../src/products/index.ts";
import { scratchDatabase } from "./scratch-db.ts";

const { values } = parseArgs({
  options: {
    cases: { type: "string", default: "100000" },
    agents: { type: "string", default: "50" },
    pages: { type: "string", default: "20" },
  },
});
const cases = Number(values.cases);
const agents = Number(values.agents);
const pages = Number(values.pages);
const log = (line: string) => process.stderr.write(`${line}\n`);
const scratch = await scratchDatabase("cyberpolis_bench_assistance");
const db = await openDatabase({ url: scratch.url, poolSize: agents });
await migrate(db);
const now = new Date("2026-06-15T12:00:00Z");
const ctx = { actor: "bench", now, catalog: defaultCatalog() };

log(`seeding ${cases} open cases…`);
// One household per 10 cases; the cases' due instants follow the product's service levels.
await sql`insert into parties (id, name, created_at)
  select md5('p' || g)::uuid, 'Bench ' || g, ${now} from generate_series(1, greatest(1, ${cases} / 10)) g`.execute(
  db.kysely,
);
await sql`insert into policies (id, number, party_id, product_code, product_version, household, start_date,
    payment_frequency, payment_method, created_at, updated_at)
  select md5('p' || g)::uuid, 'B-' || g, md5('p' || g)::uuid, 'nl-cyber', 1, 'family', '2026-01-01', 'annual',
    'bank_transfer', ${now}, ${now} from generate_series(1, greatest(1, ${cases} / 10)) g`.execute(db.kysely);
await sql`insert into assistance_cases (number, policy_id, opened_at, channel, category, ongoing, priority, status,
    entitled, first_response_due, resolution_due, first_response_risk_at, resolution_risk_at, next_due,
    first_response_at, opened_by, created_at, updated_at)
  select 'HC-' || g, md5('p' || (1 + g % greatest(1, ${cases} / 10)))::uuid, o, 'phone', 'hacking', false, pr,
    case when g % 3 = 0 then 'open' else 'in_progress' end, true,
    o + fr, o + res, o + fr * 0.75, o + res * 0.75,
    case when g % 3 = 0 then o + fr else o + res end,
    case when g % 3 = 0 then null else o + fr / 2 end, 'bench', o, o
  from (select g, ${now}::timestamptz - (g % 10080) * interval '1 minute' as o,
          (array['urgent','high','normal'])[1 + g % 3] as pr,
          (array[interval '15 minutes', interval '60 minutes', interval '240 minutes'])[1 + g % 3] as fr,
          (array[interval '24 hours', interval '72 hours', interval '120 hours'])[1 + g % 3] as res
        from generate_series(1, ${cases}) g) s`.execute(db.kysely);
await sql`analyze`.execute(db.kysely);

const time = async (fn: () => Promise<unknown>) => {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
};
const count = () => sql`select count(*) from assistance_cases where status <> 'resolved'`.execute(db.kysely);
await count();
const firstPass = await time(() => runAssistanceSweep(db.kysely, ctx));
const steady: number[] = [];
const counts: number[] = [];
for (let i = 0; i < 5; i++) {
  steady.push(
    await time(() => runAssistanceSweep(db.kysely, { ...ctx, now: new Date(now.getTime() + i * 60_000) })),
  );
  counts.push(await time(count));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const breaches = await sql<{ n: number }>`select count(*)::int as n from assistance_breaches`.execute(
  db.kysely,
);
log(`first pass recorded ${breaches.rows[0]?.n} breaches in ${firstPass.toFixed(0)} ms`);

const FILTERS = [
  { status: "open" as const },
  { priority: "urgent" as const },
  {},
  { atRisk: true },
  { breached: true },
];
const page = (f: (typeof FILTERS)[number]) =>
  queueQuery(db.kysely, now, { ...f, limit: 50, offset: 0 })
    .selectAll("c")
    .orderBy("c.next_due")
    .orderBy("c.id")
    .limit(50)
    .execute();
// Each filter alone first: what one agent waits without the others.
for (const f of FILTERS) {
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) runs.push(await time(() => page(f)));
  log(`queue ${JSON.stringify(f)} alone: ${median(runs).toFixed(1)} ms`);
}
const latencies: number[] = [];
await Promise.all(
  Array.from({ length: agents }, async (_, a) => {
    for (let i = 0; i < pages; i++) {
      const f = FILTERS[(a + i) % FILTERS.length]!;
      latencies.push(await time(() => page(f)));
    }
  }),
);
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]!;
const result = {
  cases,
  first_pass_ms: Math.round(firstPass),
  steady_pass_ms: Math.round(median(steady)),
  count_ms: Math.round(median(counts) * 10) / 10,
  ratio: Math.round((median(steady) / median(counts)) * 100) / 100,
  queue_p50_ms: Math.round(pct(0.5) * 10) / 10,
  queue_p99_ms: Math.round(pct(0.99) * 10) / 10,
};
await db.close();
if (!process.env.BENCH_KEEP) await scratch.drop();
console.log(JSON.stringify(result));
