import { type RawBuilder, sql } from "kysely";
import type { SequenceType } from "../../bank/index.ts";
import type { IsoDate } from "../../shared/dates.ts";
import type { DebitGroup } from "./debits.ts";
import { type DebitColumns, debitTextSql, plainDebitSql } from "./pain008-sql/pain008-sql.ts";
import type { FileHeader } from "./pain008-sql/pain008-stream.ts";

/**
 * The debits of a set of invoices as a statement hands them to the file writer, shared by the
 * billing insert (chunk-sql.ts) and the read-back of a chunk (chunk-readback.ts). Both name the
 * invoices `done`, with the columns below, and add rows of kind 'n' (counts) of their own; these are
 * the rows of kind 'text' (the rendered text in pieces) and 'raw' (debits left to Node).
 */

// Debits per piece of text: one string per debit would cost a row each to send and parse, one per
// batch would be tens of megabytes to allocate at once on either side.
const PIECE = 500;

/** A row of such a statement; the columns each kind doesn't use are null. */
export interface DebitResultRow {
  kind: "n" | "text" | "raw";
  plan_no: number | null;
  sequence_type: SequenceType | null;
  /** A count (n), or the piece's number (text). */
  n: number | null;
  batch_id: number | null;
  text: string | null;
  sort_id: string | null;
  /** The period's start (raw), or the earliest period (n, where the caller says so). */
  period_start: IsoDate | null;
  period_end: IsoDate | null;
  /** The debit's amount (raw), or a sum (n, where the caller says so). */
  amount_cents: number | null;
  number: string | null;
  mandate_reference: string | null;
  signed_on: IsoDate | null;
  account_holder: string | null;
  iban: string | null;
  bic: string | null;
}

/** `done`'s columns as the renderer reads them. */
const columns: DebitColumns = {
  plain: sql`d.plain`,
  sequenceType: sql`d.sequence_type`,
  policyNumber: sql`d.number`,
  refSuffix: sql`d.ref_suffix`,
  amount: sql`d.amount_text`,
  remittanceTail: sql`d.remittance_tail`,
  mandateId: sql`d.mandate_reference`,
  signedOn: sql`d.signed_on`,
  collectionDate: sql`d.collection_date`,
  name: sql`d.account_holder`,
  iban: sql`d.iban`,
  bic: sql`d.bic`,
};

/**
 * `union all` and the 'text' and 'raw' rows of `done`'s direct debits (`direct` and a batch), for
 * a statement whose first branch has the columns of DebitResultRow in that order.
 */
export function debitRowsSql(creditor: FileHeader["creditor"]): RawBuilder<unknown> {
  return sql`union all
    select 'text', null, d.sequence_type, d.piece, d.batch_id,
           string_agg(${debitTextSql(creditor, columns)}, '' order by d.rn),
           null, null, null, null, null, null, null, null, null, null
    from (
      select x.*, (x.rn - 1) / ${PIECE}::int8 as piece
      from (
        select batch_id, sequence_type, plain, number, ref_suffix, amount_text, remittance_tail,
               mandate_reference, signed_on, collection_date, account_holder, iban, bic,
               row_number() over (partition by batch_id, sequence_type order by id, period_start) as rn
        from done where direct and batch_id is not null
      ) x
    ) d
    group by d.batch_id, d.sequence_type, d.piece
    union all
    select 'raw', d.plan_no, d.sequence_type, null, d.batch_id, null, d.id, d.period_start,
           d.period_end, d.amount_cents, d.number, d.mandate_reference, d.signed_on, d.account_holder,
           d.iban, d.bic
    from done d where d.direct and d.batch_id is not null and not ${plainDebitSql(columns)}`;
}

/** The ORDER BY that puts pieces and raw debits in file order within their group. */
export const DEBIT_ROWS_ORDER = sql`order by kind, batch_id, sequence_type, n, sort_id, period_start`;

/** Adds the 'text' and 'raw' rows to the groups the caller made from its counts. */
export function attachDebits(groups: Map<string, DebitGroup>, rows: readonly DebitResultRow[]): void {
  for (const r of rows) {
    if (r.kind === "n") continue;
    const g = groups.get(groupKey(r.batch_id!, r.sequence_type!));
    if (!g) throw new Error(`debits of batch ${r.batch_id} ${r.sequence_type} without a count`);
    if (r.kind === "text") {
      g.texts.push(r.text!);
    } else {
      g.raw.push({
        period_start: r.period_start!,
        period_end: r.period_end!,
        amount_cents: r.amount_cents!,
        number: r.number!,
        mandate_reference: r.mandate_reference!,
        signed_on: r.signed_on!,
        account_holder: r.account_holder!,
        iban: r.iban!,
        bic: r.bic,
      });
    }
  }
}

export function groupKey(batchId: number, seq: SequenceType): string {
  return `${batchId}|${seq}`;
}
