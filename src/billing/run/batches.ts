import type { Kysely } from "kysely";
import { sql } from "kysely";
import type { Database, Tx } from "../../db/schema.ts";
import type { Ctx } from "../../shared/context.ts";
import type { IsoDate } from "../../shared/dates.ts";
import type { RunRef } from "./chunk.ts";

/**
 * The billing run's payment batches (one pain.008 per collection date): made by the chunks that
 * bill into them, marked written with the file, and settled once their collection date has come.
 */

/**
 * The run's collection batches of these dates, inserted with ON CONFLICT DO NOTHING: in the chunk's
 * transaction (a concurrent chunk waits on a new date's row until this one commits) or, with
 * `batchesApart`, in a statement of its own.
 */
export async function ensureBatches(
  db: Kysely<Database> | Tx,
  ctx: Ctx,
  run: RunRef,
  dates: readonly IsoDate[],
): Promise<Map<IsoDate, number>> {
  const ids = new Map<IsoDate, number>();
  if (dates.length === 0) return ids;
  const compact = (d: string) => d.replaceAll("-", "");
  await db
    .insertInto("payment_batches")
    .values(
      // In date order, so chunks making several new batches at once never wait on each other in a
      // circle.
      [...dates].sort().map((d) => ({
        kind: "direct_debit" as const,
        run_id: run.id,
        collection_date: d,
        message_id: `CP-DD-${compact(run.runDate)}-${compact(d)}`,
        created_at: ctx.now,
      })),
    )
    // Any unique key, not just (run, kind, date): two chunks inserting the same new batch at once
    // meet on whichever index the later one reaches first, and the message id (made from the run
    // date and the collection date) is unique too. Naming one arbiter let the other raise.
    .onConflict((oc) => oc.doNothing())
    .execute();
  const rows = await db
    .selectFrom("payment_batches")
    .select(["id", "collection_date"])
    .where("run_id", "=", run.id)
    .where("kind", "=", "direct_debit")
    .where("collection_date", "in", [...dates])
    .execute();
  for (const r of rows) ids.set(r.collection_date, r.id);
  const missing = dates.filter((d) => !ids.has(d));
  if (missing.length > 0) throw new Error(`payment batches of ${missing.join(", ")} could not be made`);
  return ids;
}

/**
 * Direct-debit batches whose collection date has come by the run date and whose file went to the
 * bank: their open debits count as paid now (a bank return reverses that later).
 */
export interface DueBatches {
  ids: number[];
  /** The earliest period among their debits: older invoices are skipped inside the index. */
  firstPeriod: IsoDate | null;
}

export async function dueBatches(db: Kysely<Database>, runDate: IsoDate): Promise<DueBatches> {
  const rows = await db
    .selectFrom("payment_batches")
    .select(["id", "first_period"])
    .where("kind", "=", "direct_debit")
    // Billing-run batches only: charges collected on their own settle by charge_collections.
    .where("run_id", "is not", null)
    .where("collection_date", "<=", runDate)
    .where("status", "in", ["written", "submitted"])
    .execute();
  let firstPeriod: IsoDate | null = null;
  for (const r of rows) {
    if (r.first_period !== null && (firstPeriod === null || r.first_period < firstPeriod)) {
      firstPeriod = r.first_period;
    }
  }
  return { ids: rows.map((r) => r.id), firstPeriod };
}

export async function recordWritten(
  db: Kysely<Database>,
  ctx: Ctx,
  batchId: number,
  fileName: string,
  transactions: number,
  total: number,
  /** The earliest period among the file's debits, when the file holds invoices. */
  firstPeriod?: IsoDate | null,
): Promise<void> {
  await db
    .updateTable("payment_batches")
    .set((eb) => ({
      file_name: fileName,
      transactions,
      total_cents: total,
      ...(firstPeriod === undefined ? {} : { first_period: firstPeriod }),
      written_at: eb.fn.coalesce("written_at", eb.val(ctx.now)),
      // Part 2 moves a batch on to submitted/settled; rewriting the file must not move it back.
      status: sql<
        "open" | "written" | "submitted" | "settled"
      >`case when ${eb.ref("status")} = 'open' then 'written' else ${eb.ref("status")} end`,
    }))
    .where("id", "=", batchId)
    .execute();
}

/**
 * Once every chunk of the run is done, every open debit of the due batches has been settled: the
 * batches are marked so later runs stop looking at them (a bank return still reverses a debit).
 */
export async function settleBatches(db: Kysely<Database>, due: DueBatches): Promise<void> {
  if (due.ids.length === 0) return;
  await db
    .updateTable("payment_batches")
    .set({ status: "settled" })
    .where("id", "in", due.ids)
    .where("status", "in", ["written", "submitted"])
    .execute();
}
