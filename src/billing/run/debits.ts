import type { DirectDebitTransaction, SequenceType } from "../../bank/index.ts";
import type { IsoDate } from "../../shared/dates.ts";
import { remittanceText } from "./pain008-sql/pain008-sql.ts";

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
