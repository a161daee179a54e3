import { countrySpecs, isSEPACountry } from "ibantools";
import { type RawBuilder, sql } from "kysely";
import { SEQUENCE_TYPES, type SequenceType } from "../../../bank/index.ts";
import { addDays, type IsoDate } from "../../../shared/dates.ts";
import { formatAmount } from "../../../shared/money.ts";
import { type FileHeader, renderTransactions } from "./pain008-stream.ts";
import { type Field, TransactionTemplates } from "./pain008-template.ts";

/**
 * A billing run's debits rendered by the database: the same templates (cut from the bank writer's
 * output, pain008-template.ts) filled in by string concatenation in the query that inserts or reads
 * the invoices, so Node only writes the text. Only debits whose every field goes into the file as
 * stored are rendered this way (`plainDebtor`, and the mandate's generated `plain_sepa`, migration
 * 0009); for any other the query hands back the fields and Node renders it through the bank
 * writer's normalisation. Either way the bytes are the writer's: a test holds the run's files
 * against `buildDirectDebitFile`.
 */

/** What the statement reads: "Premie polis NL-P00000001 2026-01-01 t/m 2026-01-31". */
const REMITTANCE_PREFIX = "Premie polis ";

/** The text after the policy number of a period's remittance information. */
export function remittanceTail(periodStart: IsoDate, periodEnd: IsoDate): string {
  return ` ${periodStart} t/m ${addDays(periodEnd, -1)}`;
}

export function remittanceText(policyNumber: string, periodStart: IsoDate, periodEnd: IsoDate): string {
  return REMITTANCE_PREFIX + policyNumber + remittanceTail(periodStart, periodEnd);
}

/** The amount as the template writes it, or null when the writer would refuse it. */
export function templateAmount(cents: number): string | null {
  return Number.isSafeInteger(cents) && cents >= 1 && cents <= 99_999_999_999 ? formatAmount(cents) : null;
}

/** `templateAmount` of a column of cents, in SQL. */
export function amountSql(cents: RawBuilder<number>): RawBuilder<string | null> {
  return sql`case when ${cents} between 1 and 99999999999
    then (${cents} / 100)::text || '.' || lpad((${cents} % 100)::text, 2, '0') end`;
}

/** `remittanceTail` of a period's date columns, in SQL. */
export function remittanceTailSql(start: RawBuilder<IsoDate>, end: RawBuilder<IsoDate>): RawBuilder<string> {
  return sql`' ' || to_char(${start}, 'YYYY-MM-DD') || ' t/m ' || to_char(${end} - 1, 'YYYY-MM-DD')`;
}

// Country → IBAN length of the SEPA countries, and every country a BIC may name, as ibantools (the
// bank writer's check) knows them.
const SEPA_IBAN_LENGTHS = JSON.stringify(
  Object.fromEntries(
    Object.entries(countrySpecs).flatMap(([country, spec]) =>
      spec.chars !== undefined && isSEPACountry(country) ? [[country, spec.chars]] : [],
    ),
  ),
);
const BIC_COUNTRIES = Object.keys(countrySpecs);

/**
 * Whether a policy's debits can be rendered from its stored fields, given its policy and mandate
 * rows: the mandate's own fields are plain (`plain_sepa`), its IBAN is of a SEPA country and of that
 * country's length, its BIC names a known country, and the policy number makes an EndToEndId
 * (`<number>-<yyyymmdd>`, at most 35) and a remittance text without anything to normalise.
 */
export function plainDebtor(policy: string, mandate: string): RawBuilder<boolean> {
  const p = (c: string) => sql.ref(`${policy}.${c}`);
  const m = (c: string) => sql.ref(`${mandate}.${c}`);
  return sql<boolean>`coalesce(${m("plain_sepa")}
    and length(${p("number")}) between 1 and 26 and ${p("number")} !~ '[^A-Za-z0-9-]'
    and (${SEPA_IBAN_LENGTHS}::jsonb ->> left(${m("iban")}, 2))::int = length(${m("iban")})
    and (${m("bic")} is null or substr(${m("bic")}, 5, 2) = any(${BIC_COUNTRIES}::text[])), false)`;
}

/** Column expressions of one debit, as the query that renders it names them. */
export interface DebitColumns {
  /** `plainDebtor` of its policy and mandate. */
  plain: RawBuilder<boolean>;
  sequenceType: RawBuilder<SequenceType>;
  policyNumber: RawBuilder<string>;
  /** `-<yyyymmdd>` of the period start: the EndToEndId is the number followed by it. */
  refSuffix: RawBuilder<string>;
  /** `templateAmount`, null when out of range. */
  amount: RawBuilder<string | null>;
  /** `remittanceTail` of the period. */
  remittanceTail: RawBuilder<string>;
  mandateId: RawBuilder<string>;
  signedOn: RawBuilder<IsoDate>;
  collectionDate: RawBuilder<IsoDate>;
  name: RawBuilder<string>;
  iban: RawBuilder<string>;
  bic: RawBuilder<string | null>;
}

const cache = new Map<string, TransactionTemplates>();

function templatesFor(creditor: FileHeader["creditor"]): TransactionTemplates {
  const key = JSON.stringify(creditor);
  let t = cache.get(key);
  if (!t) {
    // Any message id and a collection date far ahead: the transactions' XML doesn't depend on them,
    // and the template's sentinel signature date is accepted.
    const header = { messageId: "TEMPLATE", createdAt: new Date(0), collectionDate: "9999-12-31", creditor };
    t = new TransactionTemplates(header, renderTransactions);
    cache.set(key, t);
  }
  return t;
}

/** Marks, in a group's text, the place of a debit the database could not render (debits.ts). */
export const NODE_RENDERED = "\u0001";

/** Whether the database renders the debit: its fields go into the file as stored. */
export function plainDebitSql(c: DebitColumns): RawBuilder<boolean> {
  return sql<boolean>`(${c.plain} and ${c.amount} is not null and ${c.signedOn} <= ${c.collectionDate})`;
}

/**
 * The debit's XML, or `NODE_RENDERED` when it is not plain: one CASE branch per sequence type, with
 * and without BIC, each the template's literals (bound as parameters) and the columns in one
 * concat. The templates don't depend on the file's header; the writer's only header check on a
 * transaction, a signature not after the collection date, is part of `plainDebitSql`.
 */
export function debitTextSql(creditor: FileHeader["creditor"], c: DebitColumns): RawBuilder<string> {
  const templates = templatesFor(creditor);
  const value: Record<Field, RawBuilder<unknown>> = {
    endToEndId: sql`${c.policyNumber} || ${c.refSuffix}`,
    amount: c.amount,
    mandateId: c.mandateId,
    // Dates as text are ISO (YYYY-MM-DD): PostgreSQL connections are opened with DateStyle ISO, and
    // ISO is PGlite's default.
    signedOn: sql`${c.signedOn}::text`,
    name: c.name,
    iban: c.iban,
    bic: c.bic,
    remittance: sql`${REMITTANCE_PREFIX}::text || ${c.policyNumber} || ${c.remittanceTail}`,
  };
  const branches = SEQUENCE_TYPES.flatMap((seq) =>
    [false, true].map((bic) => {
      const t = templates.template(seq, bic, true);
      const parts = t.fields.flatMap((f, i) => [sql`${t.literals[i]!}::text`, value[f]]);
      parts.push(sql`${t.literals[t.fields.length]!}::text`);
      return sql`when ${c.sequenceType} = ${seq} and (${c.bic} is ${sql.raw(bic ? "not null" : "null")})
        then concat(${sql.join(parts, sql`, `)})`;
    }),
  );
  return sql<string>`coalesce(case when ${plainDebitSql(c)} then case ${sql.join(branches, sql` `)} end end,
    ${NODE_RENDERED}::text)`;
}
