import { z } from "zod";
import { type Cents, formatAmount, sum } from "../shared/money.ts";
import {
  bicField,
  calendarDate,
  centsField,
  ibanField,
  instant,
  isoDateTimeUtc,
  parseInput,
  refineUniqueEndToEndIds,
  sepaIdField,
  sepaTextField,
} from "./fields.ts";
import { agent, el, leaf, renderDocument, type XmlNode } from "./xml-writer.ts";

export const PAIN_001_NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09";

export interface CreditTransfer {
  amount: Cents;
  /** Our reference for the payout or refund; the bank reports rejections by it. */
  endToEndId: string;
  creditorName: string;
  creditorIban: string;
  creditorBic?: string | undefined;
  remittanceInformation: string;
}

export interface CreditTransferFileInput {
  /** Also used as the single payment info id. */
  messageId: string;
  createdAt: Date;
  /** YYYY-MM-DD */
  executionDate: string;
  /** The insurer's account that pays. */
  debtor: { name: string; iban: string; bic?: string | undefined };
  transactions: CreditTransfer[];
  /** One booking on the insurer's statement for the whole file (default false: one per payout). */
  batchBooking?: boolean | undefined;
}

const transactionSchema = z.object({
  amount: centsField,
  endToEndId: sepaIdField(),
  // SEPA credit transfer rulebook: names up to 70 characters.
  creditorName: sepaTextField(70, true),
  creditorIban: ibanField,
  creditorBic: bicField.optional(),
  remittanceInformation: sepaTextField(140, false),
});

const inputSchema = z
  .object({
    messageId: sepaIdField(),
    createdAt: instant,
    executionDate: calendarDate,
    debtor: z.object({ name: sepaTextField(70, true), iban: ibanField, bic: bicField.optional() }),
    transactions: z.array(transactionSchema).min(1, { message: "must contain at least one transaction" }),
    batchBooking: z.boolean().optional(),
  })
  .superRefine((input, ctx) => {
    refineUniqueEndToEndIds(input.transactions, ctx);
  });

type ValidTransaction = z.output<typeof transactionSchema>;

/**
 * Writes a pain.001.001.09 SEPA credit transfer initiation (claim payouts, refunds) with one payment
 * info. Throws a ValidationError naming each invalid field; amounts are exact from cents.
 */
export function buildCreditTransferFile(input: CreditTransferFileInput): string {
  const valid = parseInput(inputSchema, input);
  const controlSum = formatAmount(sum(valid.transactions.map((t) => t.amount)));
  const count = String(valid.transactions.length);
  const root = el(
    "CstmrCdtTrfInitn",
    el(
      "GrpHdr",
      leaf("MsgId", valid.messageId),
      leaf("CreDtTm", isoDateTimeUtc(valid.createdAt)),
      leaf("NbOfTxs", count),
      leaf("CtrlSum", controlSum),
      el("InitgPty", leaf("Nm", valid.debtor.name)),
    ),
    el(
      "PmtInf",
      leaf("PmtInfId", valid.messageId),
      leaf("PmtMtd", "TRF"),
      leaf("BtchBookg", String(valid.batchBooking ?? false)),
      leaf("NbOfTxs", count),
      leaf("CtrlSum", controlSum),
      el("PmtTpInf", el("SvcLvl", leaf("Cd", "SEPA"))),
      el("ReqdExctnDt", leaf("Dt", valid.executionDate)),
      el("Dbtr", leaf("Nm", valid.debtor.name)),
      el("DbtrAcct", el("Id", leaf("IBAN", valid.debtor.iban))),
      agent("DbtrAgt", valid.debtor.bic),
      leaf("ChrgBr", "SLEV"),
      valid.transactions.map(transfer),
    ),
  );
  return renderDocument(PAIN_001_NAMESPACE, root);
}

function transfer(t: ValidTransaction): XmlNode {
  return el(
    "CdtTrfTxInf",
    el("PmtId", leaf("EndToEndId", t.endToEndId)),
    el("Amt", leaf("InstdAmt", formatAmount(t.amount), { Ccy: "EUR" })),
    // The creditor agent is optional in SEPA credit transfers (IBAN only); NOTPROVIDED is not used here.
    t.creditorBic ? el("CdtrAgt", el("FinInstnId", leaf("BICFI", t.creditorBic))) : null,
    el("Cdtr", leaf("Nm", t.creditorName)),
    el("CdtrAcct", el("Id", leaf("IBAN", t.creditorIban))),
    t.remittanceInformation ? el("RmtInf", leaf("Ustrd", t.remittanceInformation)) : null,
  );
}
