import { z } from "zod";
import { type Cents, formatAmount, sum } from "../shared/money.ts";
import {
  bicField,
  calendarDate,
  centsField,
  creditorIdField,
  ibanField,
  instant,
  isoDateTimeUtc,
  parseInput,
  refineUniqueEndToEndIds,
  sepaIdField,
  sepaTextField,
} from "./fields.ts";
import { mandateFields, signatureProblem } from "./mandate.ts";
import { agent, el, leaf, renderDocument, type XmlNode } from "./xml-writer.ts";

export const PAIN_008_NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pain.008.001.08";

export type SequenceType = "FRST" | "RCUR" | "OOFF" | "FNAL";
/** Payment infos appear in this order, one per sequence type that has transactions. */
export const SEQUENCE_TYPES: readonly SequenceType[] = ["FRST", "RCUR", "OOFF", "FNAL"];

export interface DirectDebitTransaction {
  sequenceType: SequenceType;
  amount: Cents;
  /** The invoice reference; the bank reports rejections and returns by it. */
  endToEndId: string;
  mandateId: string;
  /** YYYY-MM-DD */
  mandateSignatureDate: string;
  debtorName: string;
  debtorIban: string;
  debtorBic?: string | undefined;
  remittanceInformation: string;
}

export interface DirectDebitFileInput {
  /** At most 30 characters: payment info ids are `<messageId>-<sequence type>` within 35. */
  messageId: string;
  createdAt: Date;
  /** YYYY-MM-DD, the requested collection date for every transaction of the file. */
  collectionDate: string;
  creditor: { name: string; iban: string; bic?: string | undefined; creditorId: string };
  transactions: DirectDebitTransaction[];
  /** One booking per payment info on the creditor's statement (default true). */
  batchBooking?: boolean | undefined;
}

const transactionSchema = z.object({
  sequenceType: z.enum(SEQUENCE_TYPES),
  amount: centsField,
  endToEndId: sepaIdField(),
  // The mandate and debtor fields by the rule mandates are registered under.
  ...mandateFields,
  remittanceInformation: sepaTextField(140, false),
});

const inputSchema = z
  .object({
    messageId: sepaIdField(30),
    createdAt: instant,
    collectionDate: calendarDate,
    creditor: z.object({
      name: sepaTextField(70, true),
      iban: ibanField,
      bic: bicField.optional(),
      creditorId: creditorIdField,
    }),
    transactions: z.array(transactionSchema).min(1, { message: "must contain at least one transaction" }),
    batchBooking: z.boolean().optional(),
  })
  .superRefine((input, ctx) => {
    refineUniqueEndToEndIds(input.transactions, ctx);
    input.transactions.forEach((t, i) => {
      const late = signatureProblem(t.mandateSignatureDate, input.collectionDate, "the collection date");
      if (late)
        ctx.addIssue({ code: "custom", path: ["transactions", i, "mandateSignatureDate"], message: late });
    });
  });

type ValidInput = z.output<typeof inputSchema>;
type ValidTransaction = z.output<typeof transactionSchema>;

/**
 * Writes a pain.008.001.08 SEPA Core direct-debit initiation that validates against the EPC SDD Core
 * 2025 schema. Throws a ValidationError naming each invalid field. Amounts and control sums are
 * formatted from integer cents, so they are exact.
 */
export function buildDirectDebitFile(input: DirectDebitFileInput): string {
  const valid = parseInput(inputSchema, input);
  const groups = SEQUENCE_TYPES.map((seq) => ({
    seq,
    txs: valid.transactions.filter((t) => t.sequenceType === seq),
  })).filter((g) => g.txs.length > 0);

  const root = el(
    "CstmrDrctDbtInitn",
    el(
      "GrpHdr",
      leaf("MsgId", valid.messageId),
      leaf("CreDtTm", isoDateTimeUtc(valid.createdAt)),
      leaf("NbOfTxs", String(valid.transactions.length)),
      leaf("CtrlSum", formatAmount(sum(valid.transactions.map((t) => t.amount)))),
      el("InitgPty", leaf("Nm", valid.creditor.name)),
    ),
    groups.map((g) => paymentInfo(valid, g.seq, g.txs)),
  );
  return renderDocument(PAIN_008_NAMESPACE, root);
}

function paymentInfo(input: ValidInput, seq: SequenceType, txs: ValidTransaction[]): XmlNode {
  const { creditor } = input;
  return el(
    "PmtInf",
    leaf("PmtInfId", `${input.messageId}-${seq}`),
    leaf("PmtMtd", "DD"),
    leaf("BtchBookg", String(input.batchBooking ?? true)),
    leaf("NbOfTxs", String(txs.length)),
    leaf("CtrlSum", formatAmount(sum(txs.map((t) => t.amount)))),
    el("PmtTpInf", el("SvcLvl", leaf("Cd", "SEPA")), el("LclInstrm", leaf("Cd", "CORE")), leaf("SeqTp", seq)),
    leaf("ReqdColltnDt", input.collectionDate),
    el("Cdtr", leaf("Nm", creditor.name)),
    el("CdtrAcct", el("Id", leaf("IBAN", creditor.iban))),
    agent("CdtrAgt", creditor.bic),
    leaf("ChrgBr", "SLEV"),
    el(
      "CdtrSchmeId",
      el(
        "Id",
        el("PrvtId", el("Othr", leaf("Id", creditor.creditorId), el("SchmeNm", leaf("Prtry", "SEPA")))),
      ),
    ),
    txs.map(transaction),
  );
}

function transaction(t: ValidTransaction): XmlNode {
  return el(
    "DrctDbtTxInf",
    el("PmtId", leaf("EndToEndId", t.endToEndId)),
    leaf("InstdAmt", formatAmount(t.amount), { Ccy: "EUR" }),
    el(
      "DrctDbtTx",
      el("MndtRltdInf", leaf("MndtId", t.mandateId), leaf("DtOfSgntr", t.mandateSignatureDate)),
    ),
    agent("DbtrAgt", t.debtorBic),
    el("Dbtr", leaf("Nm", t.debtorName)),
    el("DbtrAcct", el("Id", leaf("IBAN", t.debtorIban))),
    t.remittanceInformation ? el("RmtInf", leaf("Ustrd", t.remittanceInformation)) : null,
  );
}
