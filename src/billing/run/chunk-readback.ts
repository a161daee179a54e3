import { type Kysely, sql } from "kysely";
import type { Database } from "../../db/schema.ts";
import type { IsoDate } from "../../shared/dates.ts";
import type { ChunkRef, RunRef } from "./chunk.ts";
import { idRange } from "./chunk-stage.ts";
import { attachDebits, DEBIT_ROWS_ORDER, type DebitResultRow, debitRowsSql, groupKey } from "./debit-rows.ts";
import type { DebitGroup } from "./debits.ts";
import { amountSql, plainDebtor, remittanceTailSql } from "./pain008-sql/pain008-sql.ts";
import type { FileHeader } from "./pain008-sql/pain008-stream.ts";

/**
 * The debits a chunk billed (by another process, or an earlier invocation), read back by its id
 * range along the primary key, bounded below by the chunk's earliest period so older invoices of
 * the same policies are skipped inside the index, and handed back as the insert hands them:
 * rendered by the database in pieces, with counts per batch and sequence type (debit-rows.ts). One
 * statement per chunk, so its memory is the chunk's, as when it was billed.
 */
export async function readBackChunk(
  db: Kysely<Database>,
  creditor: FileHeader["creditor"],
  run: RunRef,
  chunk: ChunkRef,
  firstPeriod: IsoDate | "-infinity",
): Promise<DebitGroup[]> {
  const result = await sql<DebitResultRow>`
    with done as materialized (
      select i.batch_id, i.sequence_type, i.policy_id as id, i.period_start, i.period_end,
             i.amount_cents, i.collection_date, true as direct, null::int4 as plan_no,
             ${plainDebtor("p", "m")} as plain, p.number,
             '-' || to_char(i.period_start, 'YYYYMMDD') as ref_suffix,
             ${amountSql(sql`i.amount_cents`)} as amount_text,
             ${remittanceTailSql(sql`i.period_start`, sql`i.period_end`)} as remittance_tail,
             m.reference as mandate_reference, m.signed_on, m.account_holder, m.iban, m.bic
      from invoices i
      join policies p on p.id = i.policy_id
      join sepa_mandates m on m.id = i.mandate_id
      where ${idRange("i.policy_id", chunk)} and i.period_start >= ${firstPeriod}::date
        and i.run_id = ${run.id}::int8 and i.batch_id is not null
    )
    select 'n' as kind, null::int4 as plan_no, d.sequence_type, count(*)::int8 as n, d.batch_id,
           null::text as text, null::uuid as sort_id, min(d.period_start) as period_start,
           null::date as period_end, sum(d.amount_cents)::int8 as amount_cents, null::text as number,
           null::text as mandate_reference, null::date as signed_on, null::text as account_holder,
           null::text as iban, null::text as bic
    from done d group by d.batch_id, d.sequence_type
    ${debitRowsSql(creditor)}
    ${DEBIT_ROWS_ORDER}`.execute(db);
  const groups = new Map<string, DebitGroup>();
  for (const r of result.rows) {
    if (r.kind !== "n") continue;
    groups.set(groupKey(r.batch_id!, r.sequence_type!), {
      batch_id: r.batch_id!,
      sequence_type: r.sequence_type!,
      count: r.n!,
      total: r.amount_cents!,
      firstPeriod: r.period_start!,
      texts: [],
      raw: [],
    });
  }
  attachDebits(groups, result.rows);
  return [...groups.values()];
}
