import type { DirectDebitTransaction, SequenceType } from "../bank/index.ts";
import type { IsoDate } from "../shared/dates.ts";
import { NODE_RENDERED, remittanceText } from "./pain008-sql.ts";

/**
 * A billing run's debits on their way into the pain.008 files: per batch and sequence type, the
 * text the database rendered (pain008-sql.ts), with a `NODE_RENDERED` mark where a debit needs the
 * bank writer's normalisation; those debits come with their fields, in the same order.
 */

/** A debit the database did not render: its fields, for the writer. */
export interface RawDebit {
  period_start: IsoDate;
  period_end: IsoDate;
  amount_cents: number;
  number: string;
  mandate_reference: string;
  signed_on: IsoDate;
  account_holder: string;
  iban: string;
  bic: string | null;
}

/** Consecutive debits of one batch and sequence type, in file order. */
export interface DebitGroup {
  batch_id: number;
  sequence_type: SequenceType;
  count: number;
  total: number;
  firstPeriod: IsoDate;
  /** The debits' XML in pieces; each `NODE_RENDERED` stands for the next of `raw`. */
  texts: string[];
  raw: RawDebit[];
}

/** A debit as the read-back of a chunk finds it: its XML, or `NODE_RENDERED` and its fields. */
export type ReadDebit = { batch_id: number; sequence_type: SequenceType; xml: string } & {
  [K in keyof RawDebit]: K extends "period_start" | "period_end" | "amount_cents"
    ? RawDebit[K]
    : RawDebit[K] | null;
};

/** Read-back rows (in file order within each batch and sequence type) as groups. */
export function groupsOf(rows: readonly ReadDebit[]): DebitGroup[] {
  const groups = new Map<string, DebitGroup & { parts: string[] }>();
  for (const r of rows) {
    const key = `${r.batch_id}|${r.sequence_type}`;
    let g = groups.get(key);
    if (!g) {
      const { batch_id, sequence_type, period_start: firstPeriod } = r;
      g = { batch_id, sequence_type, count: 0, total: 0, firstPeriod, texts: [], raw: [], parts: [] };
      groups.set(key, g);
    }
    g.count += 1;
    g.total += r.amount_cents;
    if (r.period_start < g.firstPeriod) g.firstPeriod = r.period_start;
    g.parts.push(r.xml);
    if (r.xml === NODE_RENDERED) {
      // The query sets every field where it sets no XML.
      g.raw.push(r as RawDebit);
    }
  }
  return [...groups.values()].map(({ parts, ...g }) => ({ ...g, texts: [parts.join("")] }));
}

/** The transaction the bank writer renders for a debit the database didn't. */
export function rawTransaction(sequenceType: SequenceType, r: RawDebit): DirectDebitTransaction {
  return {
    sequenceType,
    amount: r.amount_cents,
    endToEndId: `${r.number}-${r.period_start.replaceAll("-", "")}`,
    mandateId: r.mandate_reference,
    mandateSignatureDate: r.signed_on,
    debtorName: r.account_holder,
    debtorIban: r.iban,
    debtorBic: r.bic ?? undefined,
    remittanceInformation: remittanceText(r.number, r.period_start, r.period_end),
  };
}
