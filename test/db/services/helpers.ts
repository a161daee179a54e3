import type { Db } from "../../../src/db/connection.ts";
import type { Tx } from "../../../src/db/schema.ts";
import { bindPolicy } from "../../../src/policies/service.ts";
import { defaultCatalog } from "../../../src/products/catalog.ts";
import type { HouseholdType, PaymentFrequency } from "../../../src/products/schema.ts";
import type { Ctx } from "../../../src/shared/context.ts";

export const catalog = defaultCatalog();

export function ctxOn(date: string, actor = "test"): Ctx {
  return { actor, now: new Date(`${date}T12:00:00Z`), catalog };
}

export function inTx<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.kysely.transaction().execute(fn);
}

export async function newPolicy(
  db: Db,
  opts: { product?: string; household?: HouseholdType; start?: string; frequency?: PaymentFrequency } = {},
) {
  const start = opts.start ?? "2026-01-01";
  return inTx(db, (tx) =>
    bindPolicy(tx, ctxOn(start), {
      productCode: opts.product ?? "nl-cyber",
      party: { name: "Test Policyholder", email: "test@example.org" },
      household: opts.household ?? "family",
      startDate: start,
      paymentFrequency: opts.frequency ?? "annual",
      paymentMethod: "sepa_direct_debit",
    }),
  );
}

/** Counts rows of every business table, to prove a failed call changed nothing. */
export async function rowCounts(db: Db): Promise<Record<string, number>> {
  const tables = [
    "parties",
    "policies",
    "policy_endorsements",
    "claims",
    "claim_lines",
    "claim_facts",
    "claim_decisions",
    "limit_usage",
    "premium_reminders",
    "premium_payments",
    "premium_suspensions",
    "audit_log",
  ] as const;
  const counts: Record<string, number> = {};
  for (const t of tables) {
    const row = await db.kysely
      .selectFrom(t)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    counts[t] = Number(row.n);
  }
  return counts;
}
