import { z } from "zod";
import type { FieldIssue } from "../shared/errors.ts";
import type { Cents } from "../shared/money.ts";
import { elementIssues } from "./elements.ts";
import { PAIN_002_001_10 } from "./pain002-elements.ts";
import { centsText, code4, codeOrProprietary, eurAmount, readBankFile, text } from "./reader.ts";

export interface PaymentStatusTransaction {
  originalPaymentInfoId: string;
  originalEndToEndId: string;
  /**
   * ISO status (RJCT, ACCP, ACSC, PDNG, …). A transaction without its own status takes its payment
   * info's, then the group's: that is how ISO 20022 reports a status for a whole batch.
   */
  status: string | null;
  /** First reason code (AM04, AC04, MD01, MD06, MS02, …), inherited like the status. */
  reasonCode: string | null;
  additionalInformation: string[];
  amount: Cents | null;
  mandateId: string | null;
  requestedCollectionDate: string | null;
}

export interface PaymentStatusReport {
  messageId: string;
  createdAt: string;
  originalMessageId: string;
  /** e.g. "pain.008.001.08" */
  originalMessageType: string;
  originalNumberOfTransactions: number | null;
  originalControlSum: Cents | null;
  groupStatus: string | null;
  groupReasonCode: string | null;
  paymentInfos: { originalPaymentInfoId: string; status: string | null; reasonCode: string | null }[];
  transactions: PaymentStatusTransaction[];
}

const ARRAY_TAGS = new Set(["OrgnlPmtInfAndSts", "TxInfAndSts", "StsRsnInf", "AddtlInf"]);

const reasons = z
  .array(z.object({ Rsn: codeOrProprietary.optional(), AddtlInf: z.array(z.string()).optional() }))
  .optional()
  .transform((list) => ({
    code: list?.map((r) => r.Rsn ?? null).find((c) => c !== null) ?? null,
    info: list?.flatMap((r) => r.AddtlInf ?? []) ?? [],
  }));

const transactionSchema = z.object({
  OrgnlEndToEndId: text,
  TxSts: code4.optional(),
  StsRsnInf: reasons,
  OrgnlTxRef: z
    .object({
      Amt: z.object({ InstdAmt: eurAmount }).optional(),
      ReqdColltnDt: z.iso.date().optional(),
      MndtRltdInf: z.object({ MndtId: z.string().optional() }).optional(),
    })
    .optional(),
});

const paymentInfoSchema = z.object({
  OrgnlPmtInfId: text,
  PmtInfSts: code4.optional(),
  StsRsnInf: reasons,
  TxInfAndSts: z.array(transactionSchema).optional(),
});

const documentSchema = z.object({
  Document: z.object({
    CstmrPmtStsRpt: z.object({
      GrpHdr: z.object({ MsgId: text, CreDtTm: text }),
      OrgnlGrpInfAndSts: z.object({
        OrgnlMsgId: text,
        OrgnlMsgNmId: text,
        OrgnlNbOfTxs: z
          .string()
          .regex(/^\d{1,15}$/)
          .optional(),
        OrgnlCtrlSum: centsText.optional(),
        GrpSts: code4.optional(),
        StsRsnInf: reasons,
      }),
      OrgnlPmtInfAndSts: z.array(paymentInfoSchema).optional(),
    }),
  }),
});

/**
 * Reads a pain.002.001.10 customer payment status report. Checks structure and amounts (exact
 * cents), not the schema: callers validate against the EPC XSD with `validateXml` first.
 */
export function parsePaymentStatusReport(xml: string): PaymentStatusReport {
  const { data } = readBankFile(xml, ["pain.002.001.10"], ARRAY_TAGS, documentSchema);
  const report = data.Document.CstmrPmtStsRpt;
  const group = report.OrgnlGrpInfAndSts;
  const groupStatus = group.GrpSts ?? null;
  const infos = report.OrgnlPmtInfAndSts ?? [];
  return {
    messageId: report.GrpHdr.MsgId,
    createdAt: report.GrpHdr.CreDtTm,
    originalMessageId: group.OrgnlMsgId,
    originalMessageType: group.OrgnlMsgNmId,
    originalNumberOfTransactions: group.OrgnlNbOfTxs === undefined ? null : Number(group.OrgnlNbOfTxs),
    originalControlSum: group.OrgnlCtrlSum ?? null,
    groupStatus,
    groupReasonCode: group.StsRsnInf.code,
    paymentInfos: infos.map((p) => ({
      originalPaymentInfoId: p.OrgnlPmtInfId,
      status: p.PmtInfSts ?? null,
      reasonCode: p.StsRsnInf.code,
    })),
    transactions: infos.flatMap((p) =>
      (p.TxInfAndSts ?? []).map((t) => {
        const ownStatus = t.TxSts !== undefined;
        const inherited = inheritedStatus(p.PmtInfSts, p.StsRsnInf.code, groupStatus, group.StsRsnInf.code);
        return {
          originalPaymentInfoId: p.OrgnlPmtInfId,
          originalEndToEndId: t.OrgnlEndToEndId,
          status: ownStatus ? (t.TxSts ?? null) : inherited.status,
          reasonCode: t.StsRsnInf.code ?? (ownStatus ? null : inherited.reason),
          additionalInformation: t.StsRsnInf.info,
          amount: t.OrgnlTxRef?.Amt?.InstdAmt ?? null,
          mandateId: t.OrgnlTxRef?.MndtRltdInf?.MndtId ?? null,
          requestedCollectionDate: t.OrgnlTxRef?.ReqdColltnDt ?? null,
        };
      }),
    ),
  };
}

const none = { status: null, reason: null };

/** PART ("partially accepted") describes the batch, not each transaction, so it is never inherited. */
function inheritedStatus(
  infoStatus: string | undefined,
  infoReason: string | null,
  groupStatus: string | null,
  groupReason: string | null,
): { status: string | null; reason: string | null } {
  if (infoStatus !== undefined)
    return infoStatus === "PART" ? none : { status: infoStatus, reason: infoReason };
  if (groupStatus !== null && groupStatus !== "PART") return { status: groupStatus, reason: groupReason };
  return none;
}

/** What a pain.002 carries beyond the elements of pain.002.001.10: for reports not held to an XSD. */
export function pain002ElementIssues(xml: string): FieldIssue[] {
  return elementIssues(xml, PAIN_002_001_10);
}
