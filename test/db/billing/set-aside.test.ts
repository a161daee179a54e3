import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateXml } from "../../../src/bank/index.ts";
import { listSetAside } from "../../../src/billing/collections/set-aside.ts";
import { billingConfig } from "../../../src/billing/config.ts";
import { runBilling } from "../../../src/billing/run/run.ts";
import type { Db } from "../../../src/db/connection.ts";
import { checkLedger } from "../../../src/ledger/check.ts";
import { defaultCatalog } from "../../../src/products/catalog.ts";
import type { Ctx } from "../../../src/shared/context.ts";
import { backend, createTestDb } from "../../support/db.ts";
import { seedPolicy } from "./seed.ts";

/**
 * Issue 10 item 1: mandates already in the database that the pain.008 writer refuses (registered
 * before the bank rule, or corrupted since: here, directly in SQL) are set aside with the writer's
 * reason, asked for by letter, and the run writes a valid file for everyone else and finishes.
 */

const EPC_XSD = join(import.meta.dirname, "../../../../shared/xsd/EPC130-08_2025_V1.0_pain.008.001.08.xsd");
const config = { ...billingConfig({}), chunkSize: 4 };
const ctxAt = (iso: string): Ctx => ({ actor: "test", now: new Date(iso), catalog: defaultCatalog() });

let db: Db;
let out: string;
const numbers: string[] = [];

// Policy index → the corruption and the writer's reason it is set aside for (null: still collected).
const corruptions: [number, string, string | null][] = [
  [1, `account_holder = '😀'`, "debtorName: must contain at least one SEPA character"],
  [2, `signed_on = '9999-12-31'`, "mandateSignatureDate: is after the collection date 2026-02-14"],
  [3, `iban = 'BR1800360305000010009795493C1'`, "debtorIban: is not an IBAN of a SEPA country"],
  [5, `account_holder = '١٢٣'`, "debtorName: must contain at least one SEPA character"],
  // Not plain (the database leaves it to Node), but the writer transliterates it: still collected.
  [6, `account_holder = 'O''Brien Zoë'`, null],
];
const setAside = corruptions.filter((c) => c[2] !== null);

beforeAll(async () => {
  db = await createTestDb();
  out = await mkdtemp(join(tmpdir(), "cp-set-aside-"));
  const ctx = ctxAt("2026-01-01T08:00:00Z");
  for (let i = 0; i < 9; i++) {
    const p = await seedPolicy(db.kysely, ctx, { startDate: "2026-01-01" }, i);
    numbers.push(p.number);
  }
  for (const [i, set] of corruptions) {
    await sql`update sepa_mandates set ${sql.raw(set)}
      where policy_id = (select id from policies where number = ${numbers[i]!})`.execute(db.kysely);
  }
});
afterAll(async () => {
  await db?.close();
  await rm(out, { recursive: true, force: true });
});

const ref = (i: number) => `${numbers[i]}-20260101`;
const run = (iso: string) =>
  runBilling(db.kysely, ctxAt(iso), {
    date: "2026-01-31",
    outDir: out,
    config,
    pooled: backend === "postgres",
  });
const xmlFiles = async () => (await readdir(out)).filter((n) => n.endsWith(".xml")).sort();

describe("a debit the bank file can't carry", () => {
  it("is set aside with its reason; the run finishes and writes a valid file for everyone else", async () => {
    const summary = await run("2026-01-31T06:00:00Z");
    expect(summary.setAside).toBe(setAside.length);
    expect(summary.invoices).toBe(9);
    const finished = await db.kysely
      .selectFrom("billing_runs")
      .select("finished_at")
      .executeTakeFirstOrThrow();
    expect(finished.finished_at).not.toBeNull();
    expect(await xmlFiles()).toEqual(["pain008-2026-01-31-2026-02-14.xml"]);
    const xml = await readFile(summary.files[0]!.path, "utf8");
    expect((await validateXml(xml, EPC_XSD)).errors).toEqual([]);
    const collected = [0, 4, 6, 7, 8];
    for (const i of collected) expect(xml).toContain(`<EndToEndId>${ref(i)}</EndToEndId>`);
    for (const [i] of setAside) expect(xml).not.toContain(ref(i));
    expect(xml).toContain(`<NbOfTxs>${collected.length}</NbOfTxs>`);
    expect(summary.files[0]!.transactions).toBe(collected.length);
    expect(xml).toContain("<Nm>O&apos;Brien Zoe</Nm>");
  });

  it("is in the finance queue with the writer's reason, and asked for by letter", async () => {
    const rows = await listSetAside(db.kysely);
    expect(rows.map((r) => [r.reference, r.reason]).sort()).toEqual(
      setAside.map(([i, , reason]) => [ref(i), reason]).sort(),
    );
    const invoices = await db.kysely
      .selectFrom("invoices")
      .selectAll()
      .where(
        "reference",
        "in",
        setAside.map(([i]) => ref(i)),
      )
      .execute();
    for (const inv of invoices) {
      expect(inv).toMatchObject({ batch_id: null, mandate_id: null, status: "open", due_date: "2026-02-14" });
    }
    const letters = await db.kysely
      .selectFrom("premium_letters")
      .selectAll()
      .where("set_aside_id", "is not", null)
      .execute();
    expect(letters).toHaveLength(setAside.length);
    for (const l of letters) {
      expect(l.kind).toBe("payment_request");
      expect(l.body).toMatch(/uiterlijk op 14 februari 2026 over te maken/);
    }
    expect((await checkLedger(db.kysely)).problems).toEqual([]);
  });

  it("stays set aside when the run is repeated: the same file, no second entry or letter", async () => {
    const name = (await xmlFiles())[0]!;
    const before = await readFile(join(out, name), "utf8");
    const again = await run("2026-01-31T09:00:00Z");
    expect(again.setAside).toBe(setAside.length);
    expect(await readFile(join(out, name), "utf8")).toBe(before);
    expect(await listSetAside(db.kysely)).toHaveLength(setAside.length);
    const batch = await db.kysely.selectFrom("payment_batches").selectAll().executeTakeFirstOrThrow();
    expect(batch).toMatchObject({ status: "written", transactions: 5 });
  });

  it("is set aside on the read-back too: a mandate corrupted after its chunk was billed", async () => {
    // A re-run (or the coordinator of --workers) reads a billed chunk's debits back and renders them.
    await sql`update sepa_mandates set account_holder = '😀'
      where policy_id = (select id from policies where number = ${numbers[0]!})`.execute(db.kysely);
    const again = await run("2026-01-31T10:00:00Z");
    expect(again.setAside).toBe(setAside.length + 1);
    const xml = await readFile(again.files[0]!.path, "utf8");
    expect((await validateXml(xml, EPC_XSD)).errors).toEqual([]);
    expect(xml).not.toContain(ref(0));
    expect(xml).toContain("<NbOfTxs>4</NbOfTxs>");
    const rows = await listSetAside(db.kysely);
    expect(rows.find((r) => r.reference === ref(0))?.reason).toBe(
      "debtorName: must contain at least one SEPA character",
    );
    expect((await checkLedger(db.kysely)).problems).toEqual([]);
  });
});
