/**
 * `npm run bench:documents -- [--claims 10000]` on PostgreSQL (BENCH_DATABASE_URL,
 * TEST_DATABASE_URL or the local server; database BENCH_DATABASE_NAME, default
 * cyberpolis_bench_documents): seeds decided claims (untimed: a few real claims filed through
 * fileClaim, copied in SQL up to --claims), then times the documents_collect sweep rendering and
 * storing one decision letter per claim, then times rendering one blank pdfkit page per letter in
 * the same process. Last line: {"claims","letters","pages","seconds","pages_per_second",
 * "blank_pages_per_second","ratio","peak_rss_mb"}, ratio = letter pages/s ÷ blank pages/s.
 */
import { parseArgs } from "node:util";
import { sql } from "kysely";
import { fileClaim } from "../src/claims/index.ts";
import { openDatabase } from "../src/db/connection.ts";
import { migrate } from "../src/db/migrate.ts";
import { collectDocuments } from "../src/documents/index.ts";
import { blankPage } from "../src/documents/pdf.ts";
import { bindPolicy } from "../src/policies/index.ts";
import { defaultCatalog } from "../src/products/index.ts";
import type { Ctx } from "../src/shared/context.ts";
import { scratchDatabase } from "./scratch-db.ts";

const { values } = parseArgs({ options: { claims: { type: "string", default: "10000" } } });
const claims = Number(values.claims);
if (!Number.isInteger(claims) || claims < 1) throw new Error("--claims must be a positive integer");
const log = (line: string) => process.stderr.write(`${line}\n`);
const scratch = await scratchDatabase("cyberpolis_bench_documents");
const db = await openDatabase({ url: scratch.url });
await migrate(db);
const catalog = defaultCatalog();
const ctx = (date: string): Ctx => ({ actor: "bench", now: new Date(`${date}T12:00:00Z`), catalog });

// Untimed seed: a handful of policyholders (nl and fr), each with one real decided claim…
const seeds = Math.min(claims, 10);
for (let i = 0; i < seeds; i++) {
  const be = i % 2 === 1;
  await db.kysely.transaction().execute(async (tx) => {
    const policy = await bindPolicy(tx, ctx("2026-01-01"), {
      productCode: be ? "be-cyber-care" : "nl-cyber",
      party: { name: `Bench Holder ${i}`, email: null },
      household: "family",
      startDate: "2026-01-01",
      paymentFrequency: be ? "monthly" : "annual",
      paymentMethod: "sepa_direct_debit",
      language: be ? "fr" : "nl",
    });
    await fileClaim(tx, ctx("2026-02-10"), {
      policyId: policy.id,
      peril: be ? "online_shopping_non_delivery" : "hacking",
      incidentDate: "2026-02-08",
      reportedDate: "2026-02-10",
      losses: [{ kind: be ? "purchase_price" : "device_repair", amount: 10_000 + i }],
      facts: be ? { proofOfPurchase: true } : { policeReport: true },
    });
  });
}
// …copied in SQL up to the number of claims asked for, each with its own decision.
await sql`
  create temporary table bench_src as
    select c.*, row_number() over (order by c.number) as n from claims c`.execute(db.kysely);
await sql`
  insert into claims (id, policy_id, number, peril, section, incident_date, reported_date, facts, status,
                      payout_cents, current_decision, created_at, updated_at)
  select gen_random_uuid(), s.policy_id, 'BENCH-' || g, s.peril, s.section, s.incident_date, s.reported_date,
         s.facts, s.status, s.payout_cents, s.current_decision, s.created_at, s.updated_at
    from generate_series(1, ${claims - seeds}) g
    join bench_src s on s.n = 1 + (g % ${seeds})`.execute(db.kysely);
await sql`
  insert into claim_decisions (claim_id, sequence, policy_id, kind, outcome, payout_cents, reasons, missing,
                               lines, explanation, section, policy_year_start, product_code, product_version,
                               decided_on, decided_at, actor, reason_text)
  select c.id, d.sequence, d.policy_id, d.kind, d.outcome, d.payout_cents, d.reasons, d.missing, d.lines,
         d.explanation, d.section, d.policy_year_start, d.product_code, d.product_version, d.decided_on,
         d.decided_at, d.actor, d.reason_text
    from claims c
    join bench_src s on s.n = 1 + (substr(c.number, 7)::int % ${seeds})
    join claim_decisions d on d.claim_id = s.id
   where c.number like 'BENCH-%'`.execute(db.kysely);
// The policies' own schedules are not what is measured: stored first, untimed.
await collectDocuments(db.kysely, ctx("2026-02-10"), { batch: 1 });
await sql`delete from documents where kind = 'claim_decision'`.execute(db.kysely);
log(`seeded ${claims} decided claims; rendering their letters`);

const t0 = process.hrtime.bigint();
const run = await collectDocuments(db.kysely, ctx("2026-02-11"));
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const stats = await sql<{ letters: string; pages: string }>`
  select count(*) as letters, coalesce(sum(pages), 0) as pages from documents where kind = 'claim_decision'`.execute(
  db.kysely,
);
const letters = Number(stats.rows[0]!.letters);
const pages = Number(stats.rows[0]!.pages);
log(`${run.summary} in ${seconds.toFixed(1)} s`);

const b0 = process.hrtime.bigint();
const day = new Date("2026-02-11T00:00:00Z");
for (let i = 0; i < letters; i++) await blankPage(day);
const blankSeconds = Number(process.hrtime.bigint() - b0) / 1e9;
await db.close();

const pagesPerSecond = pages / seconds;
const blankPerSecond = letters / blankSeconds;
console.log(
  JSON.stringify({
    claims,
    letters,
    pages,
    seconds: Number(seconds.toFixed(2)),
    pages_per_second: Number(pagesPerSecond.toFixed(1)),
    blank_pages_per_second: Number(blankPerSecond.toFixed(1)),
    ratio: Number((pagesPerSecond / blankPerSecond).toFixed(4)),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
await scratch.drop();
