import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { billingConfig } from "../../../src/billing/config.ts";
import { runBilling } from "../../../src/billing/run/run.ts";
import type { Db } from "../../../src/db/connection.ts";
import { importBankFile } from "../../../src/flows/bank-import/import-file.ts";
import { checkLedger } from "../../../src/ledger/check.ts";
import { defaultCatalog } from "../../../src/products/catalog.ts";
import type { Ctx } from "../../../src/shared/context.ts";
import { createTestDb } from "../../support/db.ts";
import { camt054, EPC_PAIN_002, OUR_CI, pain002Rejects } from "../payments/bank-files.ts";
import { seedPolicy } from "./seed.ts";

/** Every bad bank file is refused with an error that names the problem, and changes nothing. */
const config = { ...billingConfig({}), chunkSize: 10 };
const ctx: Ctx = { actor: "test", now: new Date("2026-01-22T08:00:00Z"), catalog: defaultCatalog() };

let db: Db;
let out: string;
let refs: { reference: string; amount: number }[];
let batch: { message_id: string; transactions: number | null; total_cents: number | null };

beforeAll(async () => {
  db = await createTestDb();
  out = await mkdtemp(join(tmpdir(), "cp-returns-bad-"));
  const seedCtx = { ...ctx, now: new Date("2025-12-20T08:00:00Z") };
  for (let i = 0; i < 2; i++) await seedPolicy(db.kysely, seedCtx, { startDate: "2026-01-01" }, i + 10);
  await runBilling(db.kysely, ctx, { date: "2026-01-01", outDir: out, config });
  const invoices = await db.kysely.selectFrom("invoices").selectAll().orderBy("reference").execute();
  refs = invoices.map((i) => ({ reference: i.reference, amount: i.amount_cents }));
  batch = await db.kysely.selectFrom("payment_batches").selectAll().executeTakeFirstOrThrow();
});
afterAll(async () => {
  await db?.close();
  await rm(out, { recursive: true, force: true });
});

/** Everything an import could touch. */
async function snapshot() {
  const k = db.kysely;
  return {
    invoices: await k
      .selectFrom("invoices")
      .select(["reference", "status", "paid_cents", "return_reason"])
      .orderBy("reference")
      .execute(),
    entries: await k.selectFrom("journal_entries").select("source").orderBy("id").execute(),
    imports: await k.selectFrom("bank_imports").select("id").execute(),
    batches: await k.selectFrom("payment_batches").select(["id", "status"]).orderBy("id").execute(),
  };
}

async function refused(xml: string, code: string, message: RegExp) {
  const before = await snapshot();
  await expect(
    importBankFile(db.kysely, ctx, { xml, config, pain002Xsd: EPC_PAIN_002 }),
  ).rejects.toMatchObject({
    code,
    message: expect.stringMatching(message),
  });
  expect(await snapshot()).toEqual(before);
}

const returnTx = (i: number, extra: Partial<Parameters<typeof camt054>[0]["txs"][number]> = {}) => ({
  side: "DBIT" as const,
  amount: refs[i]!.amount,
  endToEndId: refs[i]!.reference,
  creditorId: OUR_CI,
  returnReason: "AM04",
  bookingDate: "2026-01-20",
  ...extra,
});

describe("bad bank files change nothing", () => {
  it("malformed XML", async () => {
    await refused(
      "<Document xmlns='urn:iso:std:iso:20022:tech:xsd:camt.054.001.08'><Bk>",
      "bank_file_invalid",
      /not well-formed/,
    );
  });
  it("an unknown message type, and our own pain.008", async () => {
    await refused(
      '<Document xmlns="urn:example:other"/>',
      "bank_file_unknown_type",
      /unsupported bank file namespace/,
    );
    const pain008 = (await readdir(out)).find((f) => f.startsWith("pain008"))!;
    await refused(await readFile(join(out, pain008), "utf8"), "bank_file_unknown_type", /payment initiation/);
  });
  it("a structurally wrong camt.054 (zod)", async () => {
    const xml = camt054({ messageId: "C-STRUCT", txs: [returnTx(0)] }).replace(
      "<CdtDbtInd>DBIT</CdtDbtInd>",
      "<CdtDbtInd>XX</CdtDbtInd>",
    );
    await refused(xml, "bank_file_invalid", /CdtDbtInd/);
  });
  it("a pain.002 that fails the EPC schema", async () => {
    const xml = pain002Rejects({
      messageId: "STS-XSD",
      originalMessageId: batch.message_id,
      originalCount: batch.transactions!,
      originalTotal: batch.total_cents!,
      collectionDate: "2026-01-15",
      rejects: [{ endToEndId: refs[0]!.reference, amount: refs[0]!.amount, reason: "AM04" }],
    }).replace("<StsId>STS-1</StsId>", "<Bogus>1</Bogus>");
    await refused(xml, "bank_file_invalid", /xsd: .*Bogus/);
  });
  it("a report for another creditor: unknown original message, or another creditor id", async () => {
    const xml = pain002Rejects({
      messageId: "STS-OTHER",
      originalMessageId: "SOMEONE-ELSES-FILE",
      originalCount: 1,
      originalTotal: refs[0]!.amount,
      collectionDate: "2026-01-15",
      rejects: [{ endToEndId: refs[0]!.reference, amount: refs[0]!.amount, reason: "AM04" }],
    });
    await refused(xml, "bank_file_invalid", /SOMEONE-ELSES-FILE is not a bank file of ours/);
    const camt = camt054({
      messageId: "C-OTHER-CI",
      txs: [returnTx(0, { creditorId: "NL57ZZZ999999999999" })],
    });
    await refused(camt, "bank_file_invalid", /NL57ZZZ999999999999 is not ours/);
    const account = camt054({
      messageId: "C-OTHER-ACCT",
      accountIban: "NL02ABNA0123456789",
      txs: [returnTx(0)],
    });
    await refused(account, "bank_file_invalid", /account NL02ABNA0123456789 is not ours/);
  });
  it("a camt.054 with an element its version doesn't define (no XSD at hand)", async () => {
    // Before: the unknown element was ignored, the return applied.
    const xml = camt054({ messageId: "C-EVIL", txs: [returnTx(0)] }).replace(
      "<CdtDbtInd>DBIT</CdtDbtInd>",
      "<CdtDbtInd>DBIT</CdtDbtInd><Evil>1</Evil>",
    );
    await refused(xml, "bank_file_invalid", /Ntry\[0\]\.Evil: <Evil> is not an element of <Ntry>/);
  });
  it("a camt.054.001.02 namespace over the elements of camt.054.001.08", async () => {
    const xml = camt054({ messageId: "C-VERSION", txs: [returnTx(0)] }).replace(
      "camt.054.001.08",
      "camt.054.001.02",
    );
    await refused(
      xml,
      "bank_file_invalid",
      /the namespace says camt.054.001.02 but the elements are those of camt.054.001.08/,
    );
  });
  it("a pain.002 whose number of transactions is not the batch's", async () => {
    const xml = pain002Rejects({
      messageId: "STS-COUNT",
      originalMessageId: batch.message_id,
      originalCount: 999,
      originalTotal: batch.total_cents!,
      collectionDate: "2026-01-15",
      rejects: [{ endToEndId: refs[0]!.reference, amount: refs[0]!.amount, reason: "AM04" }],
    });
    await refused(
      xml,
      "bank_file_invalid",
      new RegExp(`OrgnlNbOfTxs: 999 transactions, but ${batch.message_id} has ${batch.transactions}`),
    );
  });
  it("a pain.002 with positive statuses (not held to the EPC XSD) and an unknown element", async () => {
    const xml = pain002Rejects({
      messageId: "STS-EVIL",
      originalMessageId: batch.message_id,
      originalCount: batch.transactions!,
      originalTotal: batch.total_cents!,
      collectionDate: "2026-01-15",
      rejects: [{ endToEndId: refs[0]!.reference, amount: refs[0]!.amount, reason: "AM04" }],
    })
      .replace("<TxSts>RJCT</TxSts>", "<TxSts>ACSC</TxSts><Evil>1</Evil>")
      .replace(/<StsRsnInf>[\s\S]*?<\/StsRsnInf>/, "");
    await refused(
      xml,
      "bank_file_invalid",
      /TxInfAndSts\[0\]\.Evil: <Evil> is not an element of <TxInfAndSts>/,
    );
  });
  it("an amount that doesn't match its invoice", async () => {
    const xml = camt054({
      messageId: "C-AMOUNT",
      txs: [returnTx(0), returnTx(1, { amount: refs[1]!.amount + 1 })],
    });
    await refused(xml, `bank_file_invalid`, new RegExp(`doesn't match invoice ${refs[1]!.reference}`));
  });
  it("an IBAN or a creditor id with a wrong check digit", async () => {
    await refused(
      camt054({ messageId: "C-IBAN", accountIban: "NL92ABNA0417164300", txs: [returnTx(0)] }),
      "bank_file_invalid",
      /IBAN NL92ABNA0417164300 is not valid/,
    );
    await refused(
      camt054({ messageId: "C-CI", txs: [returnTx(0, { creditorId: "NL68ZZZ123456780000" })] }),
      "bank_file_invalid",
      /NL68ZZZ123456780000 has wrong check digits/,
    );
  });
  it("a return of an invoice we never issued", async () => {
    await refused(
      camt054({
        messageId: "C-UNKNOWN",
        txs: [returnTx(0), returnTx(0, { endToEndId: "NL-P99999999-20260101" })],
      }),
      "bank_file_invalid",
      /no such invoice of ours/,
    );
  });
  it("after all that, a good file still applies once", async () => {
    const xml = camt054({ messageId: "C-GOOD", txs: [returnTx(0)] });
    const r = await importBankFile(db.kysely, ctx, { xml, config });
    expect(r.returned).toHaveLength(1);
    const again = await importBankFile(db.kysely, ctx, { xml: xml.replace("<?xml", "<?xml "), config });
    expect(again).toMatchObject({ duplicate: true, returned: [] });
    const check = await db.kysely.transaction().execute((tx) => checkLedger(tx));
    expect(check.problems).toEqual([]);
  });
});
