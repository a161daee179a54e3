import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { composeIBAN } from "ibantools";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildDirectDebitFile,
  type DirectDebitTransaction,
  SEQUENCE_TYPES,
} from "../../../src/bank/index.ts";
import { billingConfig } from "../../../src/billing/config.ts";
import { registerMandate } from "../../../src/billing/mandates.ts";
import { rawTransaction } from "../../../src/billing/run/debits.ts";
import { runBilling } from "../../../src/billing/run/run.ts";
import type { Db } from "../../../src/db/connection.ts";
import { bindPolicy } from "../../../src/policies/service.ts";
import { defaultCatalog } from "../../../src/products/catalog.ts";
import type { Ctx } from "../../../src/shared/context.ts";
import { backend, createTestDb } from "../../support/db.ts";

/**
 * The database renders the debits whose mandate fields go into the file as stored (pain008-sql.ts,
 * `plain_sepa`); Node renders the rest through the bank writer's normalisation. Whatever the
 * names, BICs and IBANs, the run's file must be the bank writer's file of the same debits.
 */
const config = { ...billingConfig({}), chunkSize: 3 };
const ctxAt = (iso: string): Ctx => ({ actor: "test", now: new Date(iso), catalog: defaultCatalog() });

let db: Db;
let out: string;
beforeAll(async () => {
  db = await createTestDb();
  out = await mkdtemp(join(tmpdir(), "cp-render-"));
});
afterAll(async () => {
  await db?.close();
  await rm(out, { recursive: true, force: true });
});

const plainChars = "ABCXYZabcxyz0123456789/-?:().,+ ";
const name = fc.oneof(
  // Plain: rendered by the database.
  fc
    .array(fc.stringMatching(/^[A-Za-z0-9/?:().,+-]{1,8}$/), { minLength: 1, maxLength: 4 })
    .map((words) => words.join(" ")),
  // Anything a person types: accents, apostrophes, ampersands, markup, runs of spaces, too long.
  fc
    .array(fc.constantFrom(..."éüøßÆ'&<>\"  ".split(""), ...plainChars.split("")), {
      minLength: 1,
      maxLength: 90,
    })
    .map((cs) => cs.join(""))
    .filter((s) => s.trim() !== "" && /[A-Za-z0-9]/.test(s)),
);
const account = fc.record({
  name,
  country: fc.constantFrom("NL", "DE"),
  bank: fc.integer({ min: 0, max: 10 ** 9 }),
  bic: fc.constantFrom(undefined, "ABNANL2A", "DEUTDEFF", "deut de ff 500"),
});
type Account = typeof account extends fc.Arbitrary<infer T> ? T : never;

function iban(a: Account): string {
  const digits = String(a.bank).padStart(10, "0");
  return a.country === "NL"
    ? composeIBAN({ countryCode: "NL", bban: `ABNA${digits}` })!
    : composeIBAN({ countryCode: "DE", bban: `37040044${digits}` })!;
}

let month = 0;

describe("debits rendered by the database and by Node", () => {
  it("make the bank writer's file of the same debits, byte for byte but for the head's padding", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(account, { minLength: 1, maxLength: 6 }), async (accounts) => {
        month += 1;
        const start = `${2026 + Math.floor((month - 1) / 12)}-${String(((month - 1) % 12) + 1).padStart(2, "0")}-01`;
        const seedCtx = ctxAt(`${start}T07:00:00Z`);
        for (const a of accounts) {
          const policy = await bindPolicy(db.kysely, seedCtx, {
            productCode: "nl-cyber",
            party: { name: "Klant" },
            household: "single",
            startDate: start,
            paymentFrequency: "monthly",
            paymentMethod: "sepa_direct_debit",
          });
          await registerMandate(db.kysely, seedCtx, {
            policyId: policy.id,
            accountHolder: a.name,
            iban: iban(a),
            bic: a.bic ?? null,
            signedOn: start,
            consentText: "Ik machtig Cyberpolis.",
          });
        }
        const dir = join(out, start);
        const summary = await runBilling(db.kysely, ctxAt(`${start}T08:00:00Z`), {
          date: start,
          outDir: dir,
          config,
          pooled: backend === "postgres",
        });
        for (const file of summary.files) {
          const xml = await readFile(file.path, "utf8");
          expect(xml.replace(/\n +( {6}<DrctDbtTxInf>)/, "\n$1")).toBe(await writersFile(file.batchId));
        }
      }),
      { numRuns: 6 },
    );
    // Both paths were taken.
    const plain = await db.kysely
      .selectFrom("sepa_mandates")
      .select(["plain_sepa"])
      .where("revoked_on", "is", null)
      .execute();
    expect(plain.some((m) => m.plain_sepa)).toBe(true);
    expect(plain.some((m) => !m.plain_sepa)).toBe(true);
  });

  it("keeps a mandate plain only while its IBAN's check digits hold", async () => {
    const m = await db.kysely
      .selectFrom("sepa_mandates")
      .select(["id", "iban"])
      .where("plain_sepa", "=", true)
      .executeTakeFirstOrThrow();
    const broken = `${m.iban.slice(0, 2)}${m.iban[2] === "9" ? "0" : "9"}${m.iban.slice(3)}`;
    const after = await db.kysely
      .updateTable("sepa_mandates")
      .set({ iban: broken })
      .where("id", "=", m.id)
      .returning("plain_sepa")
      .executeTakeFirstOrThrow();
    expect(after.plain_sepa).toBe(false);
    // The run then leaves that debit to the writer, which refuses the corrupted IBAN: the debit is
    // set aside with that reason and the run finishes for everyone else (issue 10 item 1).
    const summary = await runBilling(db.kysely, ctxAt("2030-01-01T08:00:00Z"), {
      date: "2030-01-01",
      outDir: out,
      config,
    });
    expect(summary.setAside).toBeGreaterThan(0);
    const aside = await db.kysely.selectFrom("billing_set_aside").select("reason").execute();
    expect(aside.map((a) => a.reason)).toContain("debtorIban: is not a valid IBAN");
  });
});

/** The batch's debits read back from the tables and written by the bank writer in one piece. */
async function writersFile(batchId: number): Promise<string> {
  const batch = await db.kysely
    .selectFrom("payment_batches")
    .selectAll()
    .where("id", "=", batchId)
    .executeTakeFirstOrThrow();
  const rows = await db.kysely
    .selectFrom("invoices as i")
    .innerJoin("policies as p", "p.id", "i.policy_id")
    .innerJoin("sepa_mandates as m", "m.id", "i.mandate_id")
    .select(["i.sequence_type", "i.period_start", "i.period_end", "i.amount_cents", "p.number"])
    .select(["m.reference as mandate_reference", "m.signed_on", "m.account_holder", "m.iban", "m.bic"])
    .where("i.batch_id", "=", batchId)
    .orderBy("i.policy_id")
    .orderBy("i.period_start")
    .execute();
  const transactions: DirectDebitTransaction[] = SEQUENCE_TYPES.flatMap((seq) =>
    rows.filter((r) => r.sequence_type === seq).map((r) => rawTransaction(seq, r)),
  );
  return buildDirectDebitFile({
    messageId: batch.message_id,
    createdAt: batch.created_at,
    collectionDate: batch.collection_date,
    creditor: config.creditor,
    transactions,
  });
}
