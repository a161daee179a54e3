import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateXml } from "../../../src/bank/index.ts";
import { runCharges } from "../../../src/billing/collections/charges.ts";
import { listSetAside } from "../../../src/billing/collections/set-aside.ts";
import { billingConfig } from "../../../src/billing/config.ts";
import { runBilling } from "../../../src/billing/run/run.ts";
import type { Db } from "../../../src/db/connection.ts";
import { changeHouseholdWithBilling } from "../../../src/flows/change-household.ts";
import { defaultCatalog } from "../../../src/products/catalog.ts";
import type { Ctx } from "../../../src/shared/context.ts";
import { createTestDb } from "../../support/db.ts";
import { XSD_DIR } from "../payments/bank-files.ts";
import { seedPolicy } from "./seed.ts";

/**
 * Issue 10, item 1, for charges: one mandate the bank file can't carry (here corrupted in the
 * table, as a mandate registered before the bank rule would be) must not stop the charges file of
 * everyone else. Its charge is asked for by transfer, with the reason in finance's queue.
 */
const config = { ...billingConfig({}), chunkSize: 10 };
const ctxAt = (iso: string): Ctx => ({ actor: "test", now: new Date(iso), catalog: defaultCatalog() });
const EPC_PAIN_008 = join(XSD_DIR, "EPC130-08_2025_V1.0_pain.008.001.08.xsd");

let db: Db;
let out: string;
let good: string;
let bad: string;

beforeAll(async () => {
  db = await createTestDb();
  out = await mkdtemp(join(tmpdir(), "cp-charge-set-aside-"));
  const ctx = ctxAt("2025-12-20T08:00:00Z");
  good = (await seedPolicy(db.kysely, ctx, { startDate: "2026-01-01", frequency: "annual" }, 80)).id;
  bad = (await seedPolicy(db.kysely, ctx, { startDate: "2026-01-01", frequency: "annual" }, 81)).id;
  await runBilling(db.kysely, ctxAt("2026-01-01T06:00:00Z"), { date: "2026-01-01", outDir: out, config });
  for (const policyId of [good, bad]) {
    await db.kysely.transaction().execute((tx) =>
      changeHouseholdWithBilling(tx, ctxAt("2026-03-25T10:00:00Z"), {
        policyId,
        effectiveDate: "2026-04-01",
        household: "family",
      }),
    );
  }
  await sql`update sepa_mandates set account_holder = '😀' where policy_id = ${bad}::uuid`.execute(db.kysely);
});
afterAll(async () => {
  await db?.close();
  await rm(out, { recursive: true, force: true });
});

describe("billing charges with a mandate the bank file can't carry", () => {
  it("writes everyone else's debit, asks this one by letter and lists it for finance", async () => {
    const r = await runCharges(db.kysely, ctxAt("2026-03-26T08:00:00Z"), {
      date: "2026-03-26",
      outDir: out,
      config,
    });
    expect(r.debited).toHaveLength(1);
    expect(r.requested).toHaveLength(1);
    expect(r.files).toMatchObject([{ transactions: 1 }]);
    const xml = await readFile(r.files[0]!.path, "utf8");
    expect((await validateXml(xml, EPC_PAIN_008)).errors).toEqual([]);

    const charges = await db.kysely
      .selectFrom("charge_collections")
      .select(["policy_id", "method", "batch_id", "set_aside_reason", "reference"])
      .execute();
    const ofBad = charges.find((c) => c.policy_id === bad)!;
    const ofGood = charges.find((c) => c.policy_id === good)!;
    expect(ofGood).toMatchObject({ method: "direct_debit", set_aside_reason: null });
    expect(ofBad).toMatchObject({ method: "transfer", batch_id: null });
    expect(ofBad.set_aside_reason).toMatch(/^debtorName: /);
    expect(xml).toContain(ofGood.reference);
    expect(xml).not.toContain(ofBad.reference);

    const letter = await db.kysely
      .selectFrom("premium_letters")
      .select(["kind", "body"])
      .where("policy_id", "=", bad)
      .where("adjustment_id", "is not", null)
      .executeTakeFirstOrThrow();
    expect(letter.kind).toBe("payment_request");
    expect(letter.body).toContain("nieuwe machtiging");
    expect(letter.body).toContain(ofBad.reference);

    const queue = await listSetAside(db.kysely);
    expect(queue).toMatchObject([{ kind: "charge", reference: ofBad.reference, resolved: false }]);
    expect(queue[0]!.reason).toMatch(/debtorName/);
  });
});
