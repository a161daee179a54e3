import { z } from "zod";
import type { FieldIssue } from "../shared/errors.ts";
import type { Cents } from "../shared/money.ts";
import { CAMT_054_001_02 } from "./camt054-elements-02.ts";
import { CAMT_054_001_08 } from "./camt054-elements-08.ts";
import { isValidCreditorId } from "./creditor-id.ts";
import { elementIssues } from "./elements.ts";
import { BankFileError } from "./errors.ts";
import { code4, codeOrProprietary, detectBankFileType, eurAmount, readBankFile, text } from "./reader.ts";

export type CreditDebit = "CRDT" | "DBIT";

export interface NotificationTransaction {
  /** null when the bank gives none or the SEPA placeholder "NOTPROVIDED". */
  endToEndId: string | null;
  mandateId: string | null;
  amount: Cents | null;
  creditDebit: CreditDebit | null;
  /** True when the bank reports return information (a returned/refunded direct debit). */
  isReturn: boolean;
  /** RtrInf/Rsn/Cd (AM04, MD06, MS02, …); the proprietary code when the bank gives only that. */
  returnReasonCode: string | null;
  /** The SEPA creditor identifier from the related parties, for direct debits. */
  creditorSchemeId: string | null;
  /** Who paid (RltdPties/Dbtr, DbtrAcct), for a credit: where money not owed is paid back to. */
  debtorName: string | null;
  debtorIban: string | null;
  remittanceInformation: string[];
}

export interface NotificationEntry {
  notificationId: string;
  accountIban: string | null;
  entryReference: string | null;
  accountServicerReference: string | null;
  amount: Cents;
  creditDebit: CreditDebit;
  reversal: boolean;
  /** BOOK, PDNG, INFO, … */
  status: string;
  /** YYYY-MM-DD */
  bookingDate: string | null;
  valueDate: string | null;
  /** "Domain/Family/SubFamily", e.g. "PMNT/RDDT/ESDD" for a SEPA Core collection. */
  bankTransactionCode: string | null;
  transactions: NotificationTransaction[];
}

export interface DebitCreditNotification {
  messageId: string;
  createdAt: string;
  entries: NotificationEntry[];
}

const ARRAY_TAGS = new Set(["Ntfctn", "Ntry", "NtryDtls", "TxDtls", "Othr", "AddtlInf", "Ustrd"]);

const creditDebit = z.enum(["CRDT", "DBIT"]);

/** `<Dt>` or `<DtTm>`; a date-time is cut to its calendar date as the bank wrote it. */
const dateChoice = z
  .object({ Dt: z.iso.date().optional(), DtTm: z.string().optional() })
  .transform((d) => d.Dt ?? d.DtTm?.slice(0, 10) ?? null);

const otherIds = z
  .array(z.object({ Id: z.string(), SchmeNm: z.object({ Prtry: z.string().optional() }).optional() }))
  .optional();

/** camt.054.001.02 has the party directly under Cdtr/Dbtr; .08 wraps it in Pty (Party40Choice). */
const party = z.object({
  Nm: z.string().optional(),
  Id: z.object({ PrvtId: z.object({ Othr: otherIds }).optional() }).optional(),
});
const relatedParty = party.extend({ Pty: party.optional() });
const account = z.object({ Id: z.object({ IBAN: z.string().optional() }).optional() });

const transactionSchema = z.object({
  Refs: z.object({ EndToEndId: z.string().optional(), MndtId: z.string().optional() }).optional(),
  Amt: eurAmount.optional(),
  // .02 puts the transaction amount in AmtDtls.
  AmtDtls: z
    .object({
      TxAmt: z.object({ Amt: eurAmount }).optional(),
      InstdAmt: z.object({ Amt: eurAmount }).optional(),
    })
    .optional(),
  CdtDbtInd: creditDebit.optional(),
  RltdPties: z
    .object({
      Cdtr: relatedParty.optional(),
      Dbtr: relatedParty.optional(),
      DbtrAcct: account.optional(),
    })
    .optional(),
  RmtInf: z.object({ Ustrd: z.array(z.string()).optional() }).optional(),
  RtrInf: z.object({ Rsn: codeOrProprietary.optional() }).optional(),
});

const entrySchema = z.object({
  NtryRef: z.string().optional(),
  Amt: eurAmount,
  CdtDbtInd: creditDebit,
  RvslInd: z.enum(["true", "false", "1", "0"]).optional(),
  // .08: <Sts><Cd>BOOK</Cd></Sts>; .02: <Sts>BOOK</Sts>.
  Sts: z.union([code4, z.object({ Cd: code4 }).transform((s) => s.Cd)]),
  BookgDt: dateChoice.optional(),
  ValDt: dateChoice.optional(),
  AcctSvcrRef: z.string().optional(),
  BkTxCd: z
    .object({
      Domn: z
        .object({ Cd: z.string(), Fmly: z.object({ Cd: z.string(), SubFmlyCd: z.string() }) })
        .optional(),
    })
    .optional(),
  NtryDtls: z.array(z.object({ TxDtls: z.array(transactionSchema).optional() })).optional(),
});

const documentSchema = z.object({
  Document: z.object({
    BkToCstmrDbtCdtNtfctn: z.object({
      GrpHdr: z.object({ MsgId: text, CreDtTm: text }),
      Ntfctn: z.array(
        z.object({
          Id: text,
          Acct: z.object({ Id: z.object({ IBAN: z.string().optional() }) }).optional(),
          Ntry: z.array(entrySchema).optional(),
        }),
      ),
    }),
  }),
});

type ParsedEntry = z.output<typeof entrySchema>;
type ParsedTransaction = z.output<typeof transactionSchema>;

/**
 * Reads a camt.054 debit/credit notification (.001.08, and .001.02 which differs only in where a
 * few values sit). Amounts become exact cents; anything structurally wrong is a BankFileError.
 */
export function parseDebitCreditNotification(xml: string): DebitCreditNotification {
  const { data } = readBankFile(xml, ["camt.054.001.08", "camt.054.001.02"], ARRAY_TAGS, documentSchema);
  const message = data.Document.BkToCstmrDbtCdtNtfctn;
  return {
    messageId: message.GrpHdr.MsgId,
    createdAt: message.GrpHdr.CreDtTm,
    entries: message.Ntfctn.flatMap((n) =>
      (n.Ntry ?? []).map((e) => toEntry(n.Id, n.Acct?.Id.IBAN ?? null, e)),
    ),
  };
}

function toEntry(notificationId: string, accountIban: string | null, e: ParsedEntry): NotificationEntry {
  const domain = e.BkTxCd?.Domn;
  return {
    notificationId,
    accountIban,
    entryReference: e.NtryRef ?? null,
    accountServicerReference: e.AcctSvcrRef ?? null,
    amount: e.Amt,
    creditDebit: e.CdtDbtInd,
    reversal: e.RvslInd === "true" || e.RvslInd === "1",
    status: e.Sts,
    bookingDate: e.BookgDt ?? null,
    valueDate: e.ValDt ?? null,
    bankTransactionCode: domain ? `${domain.Cd}/${domain.Fmly.Cd}/${domain.Fmly.SubFmlyCd}` : null,
    transactions: (e.NtryDtls ?? []).flatMap((d) => (d.TxDtls ?? []).map(toTransaction)),
  };
}

function toTransaction(t: ParsedTransaction): NotificationTransaction {
  const endToEndId = t.Refs?.EndToEndId ?? null;
  return {
    endToEndId: endToEndId === "NOTPROVIDED" ? null : endToEndId,
    mandateId: t.Refs?.MndtId ?? null,
    amount: t.Amt ?? t.AmtDtls?.TxAmt?.Amt ?? t.AmtDtls?.InstdAmt?.Amt ?? null,
    creditDebit: t.CdtDbtInd ?? null,
    isReturn: t.RtrInf !== undefined,
    returnReasonCode: t.RtrInf?.Rsn ?? null,
    creditorSchemeId: creditorSchemeId(t),
    debtorName: t.RltdPties?.Dbtr?.Pty?.Nm ?? t.RltdPties?.Dbtr?.Nm ?? null,
    debtorIban: t.RltdPties?.DbtrAcct?.Id?.IBAN?.trim() ?? null,
    remittanceInformation: t.RmtInf?.Ustrd ?? [],
  };
}

/** Banks mark the CI with scheme name SEPA, but some leave the name out; the check digits tell then. */
function creditorSchemeId(t: ParsedTransaction): string | null {
  const cdtr = t.RltdPties?.Cdtr;
  const others = [...(cdtr?.Pty?.Id?.PrvtId?.Othr ?? []), ...(cdtr?.Id?.PrvtId?.Othr ?? [])];
  const match =
    others.find((o) => o.SchmeNm?.Prtry === "SEPA") ?? others.find((o) => isValidCreditorId(o.Id));
  return match?.Id ?? null;
}

const TABLES = { "camt.054.001.08": CAMT_054_001_08, "camt.054.001.02": CAMT_054_001_02 } as const;

/**
 * What a camt.054 carries beyond its version's elements (camt054-elements.ts): the check that
 * stands in for the XSD when none is at hand. When the elements are those of the other version,
 * the first issue says so: a file must not be read by the rules of a version it isn't.
 */
export function camt054ElementIssues(xml: string): FieldIssue[] {
  const type = detectBankFileType(xml);
  if (type !== "camt.054.001.08" && type !== "camt.054.001.02") {
    throw new BankFileError("bank_file_unknown_type", `expected camt.054, got ${type}`);
  }
  const issues = elementIssues(xml, TABLES[type]);
  if (issues.length === 0) return issues;
  const other = type === "camt.054.001.08" ? CAMT_054_001_02 : CAMT_054_001_08;
  if (elementIssues(xml, other).length > 0) return issues;
  return [
    {
      path: "Document",
      message: `the namespace says ${type} but the elements are those of ${other.version}`,
    },
    ...issues,
  ];
}
