import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkDirectDebitFile, validateXml } from "../../../src/bank/index.ts";
import { billingConfig } from "../../../src/billing/config.ts";
import { runBilling } from "../../../src/billing/run/run.ts";
import { type Db, openDatabase } from "../../../src/db/connection.ts";
import { defaultCatalog } from "../../../src/products/catalog.ts";
import type { Ctx } from "../../../src/shared/context.ts";
import { backend, createTestDb } from "../../support/db.ts";
import { seedPolicy } from "./seed.ts";

/**
 * Issue 10 item 2: two invocations of one run at once wrote a truncated pain.008 and recorded it as
 * written. Now one of them is refused with a clear message, and the other writes one valid file. On
 * PostgreSQL the two come through two pools, as two processes or machines would.
 */

const EPC_XSD = join(import.meta.dirname, "../../../../shared/xsd/EPC130-08_2025_V1.0_pain.008.001.08.xsd");
const config = { ...billingConfig({}), chunkSize: 2 };
const ctxAt = (iso: string): Ctx => ({ actor: "test", now: new Date(iso), catalog: defaultCatalog() });
const POLICIES = 24;

let db: Db;
let other: Db;
let out: string;

beforeAll(async () => {
  db = await createTestDb();
  other =
    db.client.dialect === "postgres"
      ? await openDatabase({ url: db.client.pool.options.connectionString! })
      : db;
  out = await mkdtemp(join(tmpdir(), "cp-overlap-"));
  const ctx = ctxAt("2026-01-01T08:00:00Z");
  for (let i = 0; i < POLICIES; i++) await seedPolicy(db.kysely, ctx, { startDate: "2026-01-01" }, i);
});
afterAll(async () => {
  if (other && other !== db) await other.close();
  await db?.close();
  await rm(out, { recursive: true, force: true });
});

const run = (on: Db, iso: string) =>
  runBilling(on.kysely, ctxAt(iso), {
    date: "2026-01-31",
    outDir: out,
    config,
    pooled: backend === "postgres",
  });

describe("two invocations of one billing run at once", () => {
  it("refuse the second with a clear message; the first writes one valid file, recorded as written", async () => {
    const results = await Promise.allSettled([
      run(db, "2026-01-31T06:00:00Z"),
      run(other, "2026-01-31T06:00:01Z"),
    ]);
    const done = results.filter((r) => r.status === "fulfilled");
    const refused = results.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
    expect(done).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(String(refused[0])).toMatch(
      /a billing run for 2026-01-31 is in progress \((run \d+, started 2026-01-31T06:00:0[01]\.000Z|starting)\); wait for it to finish/,
    );
    const names = (await readdir(out)).filter((n) => !n.startsWith("."));
    expect(names).toEqual(["pain008-2026-01-31-2026-02-14.xml"]);
    const path = join(out, names[0]!);
    expect((await validateXml(await readFile(path, "utf8"), EPC_XSD)).errors).toEqual([]);
    const check = checkDirectDebitFile(path);
    expect(check.transactions).toBe(POLICIES);
    const batch = await db.kysely.selectFrom("payment_batches").selectAll().executeTakeFirstOrThrow();
    expect(batch).toMatchObject({ status: "written", transactions: POLICIES, total_cents: check.total });
    const runRow = await db.kysely.selectFrom("billing_runs").selectAll().executeTakeFirstOrThrow();
    expect(runRow.finished_at).not.toBeNull();
  });

  it("lets the run go again once the first is done, with the same file", async () => {
    const path = join(out, "pain008-2026-01-31-2026-02-14.xml");
    const before = await readFile(path, "utf8");
    const again = await run(other, "2026-01-31T07:00:00Z");
    expect(again.newInvoices).toBe(0);
    expect(await readFile(path, "utf8")).toBe(before);
  });
});
