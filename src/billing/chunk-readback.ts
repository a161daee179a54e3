import { type Kysely, type RawBuilder, sql } from "kysely";
import type { Database } from "../db/schema.ts";
import type { IsoDate } from "../shared/dates.ts";
import type { ChunkRef, RunRef } from "./chunk.ts";
import { idRange } from "./chunk-stage.ts";
import type { ReadDebit } from "./debits.ts";
import { amountSql, debitTextSql, NODE_RENDERED, plainDebtor, remittanceTailSql } from "./pain008-sql.ts";
import type { FileHeader } from "./pain008-stream.ts";

/** Where a read-back page ends: the primary key of its last debit. */
export interface ReadPosition {
  policy_id: string;
  period_start: IsoDate;
}

/**
 * One page of the debits a chunk billed (by another process, or an earlier invocation), in file
 * order within each batch and sequence type: by its id range along the primary key, after
 * `after`, bounded below by the chunk's earliest period so older invoices of the same policies are
 * skipped inside the index. Rendered by the database as the insert renders them (pain008-sql.ts).
 */
export async function readBackPage(
  db: Kysely<Database>,
  creditor: FileHeader["creditor"],
  run: RunRef,
  chunk: ChunkRef,
  firstPeriod: IsoDate | "-infinity",
  after: ReadPosition | null,
  limit: number,
): Promise<(ReadDebit & ReadPosition)[]> {
  const text = debitTextSql(creditor, {
    plain: plainDebtor("p", "m"),
    sequenceType: sql`i.sequence_type`,
    policyNumber: sql`p.number`,
    refSuffix: sql`'-' || to_char(i.period_start, 'YYYYMMDD')`,
    amount: amountSql(sql`i.amount_cents`),
    remittanceTail: remittanceTailSql(sql`i.period_start`, sql`i.period_end`),
    mandateId: sql`m.reference`,
    signedOn: sql`m.signed_on`,
    collectionDate: sql`i.collection_date`,
    name: sql`m.account_holder`,
    iban: sql`m.iban`,
    bic: sql`m.bic`,
  });
  const field = (column: string) => sql`case when r.xml = ${NODE_RENDERED} then ${sql.ref(column)} end`;
  const from: RawBuilder<boolean> = after
    ? sql<boolean>`(i.policy_id, i.period_start) > (${after.policy_id}::uuid, ${after.period_start}::date)`
    : sql<boolean>`true`;
  const result = await sql<ReadDebit & ReadPosition>`
    select i.batch_id, i.sequence_type, i.policy_id, i.period_start, i.period_end, i.amount_cents,
           r.xml, ${field("p.number")} as number, ${field("m.reference")} as mandate_reference,
           ${field("m.signed_on")} as signed_on, ${field("m.account_holder")} as account_holder,
           ${field("m.iban")} as iban, ${field("m.bic")} as bic
    from invoices i
    join policies p on p.id = i.policy_id
    join sepa_mandates m on m.id = i.mandate_id
    cross join lateral (select ${text} as xml offset 0) r
    where ${idRange("i.policy_id", chunk)} and i.period_start >= ${firstPeriod}::date
      and i.run_id = ${run.id}::int8 and i.batch_id is not null and ${from}
    order by i.policy_id, i.period_start
    limit ${limit}`.execute(db);
  return result.rows;
}
