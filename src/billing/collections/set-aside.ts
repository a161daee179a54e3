import type { Kysely } from "kysely";
import { sql } from "kysely";
import { recordAudit } from "../../audit/index.ts";
import type { Database } from "../../db/schema.ts";
import type { Ctx } from "../../shared/context.ts";
import type { IsoDate } from "../../shared/dates.ts";
import type { Language } from "../../shared/i18n/index.ts";
import type { Cents } from "../../shared/money.ts";
import type { BillingConfig } from "../config.ts";
import { setAsidePaymentRequest } from "../dunning/set-aside-letter.ts";
import type { RunRef } from "../run/chunk.ts";

/**
 * Debits a billing run could not put into its pain.008: the bank writer refused their mandate (one
 * registered before the bank rule was enforced at registration, or changed in the database since).
 * One such debit must never stop the file for everyone else, so it is set aside: the invoice leaves
 * its batch (no file carries it, no settlement counts it paid), the chunk's record of what it put into
 * the files is lowered by it, finance finds it in `billing_set_aside` with the writer's reason, and
 * the policyholder gets a payment request letter due on the date the debit would have been
 * collected (which becomes the invoice's due date, so dunning counts from there).
 */

export interface SetAsideDebit {
  policyNumber: string;
  periodStart: IsoDate;
  periodEnd: IsoDate;
  amount: Cents;
  /** The invoice reference (the debit's EndToEndId). */
  reference: string;
  reason: string;
}

export interface SetAsideBatch {
  runRef: RunRef;
  chunkNo: number;
  batchId: number;
  collectionDate: IsoDate;
}

/** Sets the debits of one chunk and batch aside, in one transaction. */
export async function setAsideDebits(
  db: Kysely<Database>,
  ctx: Ctx,
  config: BillingConfig,
  where: SetAsideBatch,
  debits: readonly SetAsideDebit[],
): Promise<void> {
  if (debits.length === 0) return;
  const { runRef, chunkNo, batchId, collectionDate } = where;
  await db.transaction().execute(async (tx) => {
    let count = 0;
    let cents = 0;
    for (const d of debits) {
      const invoice = await sql<{
        policy_id: string;
        mandate_id: string | null;
        holder: string;
        language: Language;
        product_code: string;
        product_version: number;
      }>`
        with old as (
          select i.policy_id, i.period_start, i.mandate_id, pa.name as holder, pa.language,
                 p.product_code, p.product_version
          from invoices i join policies p on p.id = i.policy_id join parties pa on pa.id = p.party_id
          where p.number = ${d.policyNumber} and i.period_start = ${d.periodStart}::date
            and i.batch_id = ${batchId}::int8
          for update of i
        ), upd as (
          update invoices i set batch_id = null, mandate_id = null, sequence_type = null,
                 due_date = greatest(i.due_date, ${collectionDate}::date)
          from old where i.policy_id = old.policy_id and i.period_start = old.period_start
          returning i.policy_id
        )
        select old.policy_id, old.mandate_id, old.holder, old.language, old.product_code, old.product_version
        from old join upd using (policy_id)`.execute(tx);
      const row = invoice.rows[0];
      // Already set aside by an earlier invocation of the run: nothing left to do.
      if (!row) continue;
      count += 1;
      cents += d.amount;
      const entry = await tx
        .insertInto("billing_set_aside")
        .values({
          run_id: runRef.id,
          policy_id: row.policy_id,
          period_start: d.periodStart,
          reference: d.reference,
          amount_cents: d.amount,
          mandate_id: row.mandate_id,
          batch_id: batchId,
          reason: d.reason,
          set_aside_on: runRef.runDate,
          created_at: ctx.now,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      const letter = setAsidePaymentRequest({
        policyNumber: d.policyNumber,
        recipient: row.holder,
        reference: d.reference,
        amount: d.amount,
        periodStart: d.periodStart,
        periodEnd: d.periodEnd,
        letterDate: runRef.runDate,
        dueDate: collectionDate,
        language: row.language,
        country: ctx.catalog.get(row.product_code, row.product_version).country,
        payTo: { name: config.creditor.name, iban: config.creditor.iban },
      });
      await tx
        .insertInto("premium_letters")
        .values({
          policy_id: row.policy_id,
          reminder_id: null,
          adjustment_id: null,
          set_aside_id: entry.id,
          kind: letter.kind,
          language: letter.language,
          recipient: row.holder,
          subject: letter.subject,
          body: letter.body,
          letter_date: runRef.runDate,
          suspension_from: null,
          created_at: ctx.now,
          sent_at: null,
        })
        .execute();
      await recordAudit(tx, ctx, {
        action: "billing.debit_set_aside",
        entityType: "policy",
        entityId: row.policy_id,
        policyId: row.policy_id,
        after: { reference: d.reference, run: runRef.id, reason: d.reason },
      });
    }
    if (count === 0) return;
    await tx
      .updateTable("billing_run_chunks")
      .set((eb) => ({
        debits: sql<number>`${eb.ref("debits")} - ${count}::int8`,
        debit_cents: sql<number>`${eb.ref("debit_cents")} - ${cents}::int8`,
      }))
      .where("run_id", "=", runRef.id)
      .where("chunk_no", "=", chunkNo)
      .execute();
  });
}

export interface SetAsideRow {
  id: number;
  /** An installment of a billing run, or a charge (a correction collected on its own). */
  kind: "invoice" | "charge";
  runDate: IsoDate;
  policyNumber: string;
  reference: string;
  amount: Cents;
  reason: string;
  setAsideOn: IsoDate;
  resolved: boolean;
}

/**
 * The set-aside debits for finance, newest first; by default only those not resolved yet (an
 * invoice's when finance marks it, a charge's once it is paid by transfer).
 */
export async function listSetAside(
  db: Kysely<Database>,
  opts: { all?: boolean; limit?: number; offset?: number } = {},
): Promise<SetAsideRow[]> {
  const limit = opts.limit ?? 1000;
  const offset = opts.offset ?? 0;
  let invoices = db
    .selectFrom("billing_set_aside as s")
    .innerJoin("billing_runs as r", "r.id", "s.run_id")
    .innerJoin("policies as p", "p.id", "s.policy_id")
    .select([
      "s.id",
      "r.run_date",
      "p.number",
      "s.reference",
      "s.amount_cents",
      "s.reason",
      "s.set_aside_on",
      "s.resolved_at",
    ]);
  if (!opts.all) invoices = invoices.where("s.resolved_at", "is", null);
  let charges = db
    .selectFrom("charge_collections as c")
    .innerJoin("policies as p", "p.id", "c.policy_id")
    .select([
      "c.adjustment_id",
      "c.created_on",
      "p.number",
      "c.reference",
      "c.amount_cents",
      "c.set_aside_reason",
      "c.status",
    ])
    .where("c.set_aside_reason", "is not", null);
  if (!opts.all) charges = charges.where("c.status", "!=", "paid");
  // Both lists are short (a queue for people to work); each is cut at offset + limit before merging.
  const [a, b] = await Promise.all([
    invoices
      .orderBy("s.id", "desc")
      .limit(offset + limit)
      .execute(),
    charges
      .orderBy("c.adjustment_id", "desc")
      .limit(offset + limit)
      .execute(),
  ]);
  const rows: SetAsideRow[] = [
    ...a.map((r) => ({
      id: r.id,
      kind: "invoice" as const,
      runDate: r.run_date,
      policyNumber: r.number,
      reference: r.reference,
      amount: r.amount_cents,
      reason: r.reason,
      setAsideOn: r.set_aside_on,
      resolved: r.resolved_at !== null,
    })),
    ...b.map((r) => ({
      id: r.adjustment_id,
      kind: "charge" as const,
      runDate: r.created_on,
      policyNumber: r.number,
      reference: r.reference,
      amount: r.amount_cents,
      reason: r.set_aside_reason ?? "",
      setAsideOn: r.created_on,
      resolved: r.status === "paid",
    })),
  ];
  rows.sort((x, y) => (x.setAsideOn < y.setAsideOn ? 1 : x.setAsideOn > y.setAsideOn ? -1 : y.id - x.id));
  return rows.slice(offset, offset + limit);
}
