import { join } from "node:path";
import { formatAmount } from "../../../src/shared/money.ts";

/** Bank files as a bank would send them, built in tests from what the platform wrote. */

export const XSD_DIR = join(import.meta.dirname, "../../../../shared/xsd");
export const EPC_PAIN_002 = join(XSD_DIR, "EPC130-08_2025_V1.0_pain.002.001.10.xsd");
export const ISO_PAIN_001 = join(XSD_DIR, "pain.001.001.09.xsd");
export const OUR_CI = "NL69ZZZ123456780000";
export const OUR_IBAN = "NL91ABNA0417164300";

export interface Reject {
  endToEndId: string;
  amount: number;
  reason: string;
  mandateId?: string;
}

/** An EPC SDD pain.002: rejections only (accepted transactions are absent). */
export function pain002Rejects(o: {
  messageId: string;
  originalMessageId: string;
  originalCount: number;
  originalTotal: number;
  collectionDate: string;
  rejects: Reject[];
  originalType?: string;
}): string {
  const txs = o.rejects
    .map(
      (r, i) => `
      <TxInfAndSts>
        <StsId>STS-${i + 1}</StsId>
        <OrgnlEndToEndId>${r.endToEndId}</OrgnlEndToEndId>
        <TxSts>RJCT</TxSts>
        <StsRsnInf>
          <Orgtr><Id><OrgId><AnyBIC>INGBNL2A</AnyBIC></OrgId></Id></Orgtr>
          <Rsn><Cd>${r.reason}</Cd></Rsn>
        </StsRsnInf>
        <OrgnlTxRef>
          <Amt><InstdAmt Ccy="EUR">${formatAmount(r.amount)}</InstdAmt></Amt>
          <ReqdColltnDt>${o.collectionDate}</ReqdColltnDt>
          <MndtRltdInf><MndtId>${r.mandateId ?? "MDT-1"}</MndtId><DtOfSgntr>2026-01-01</DtOfSgntr></MndtRltdInf>
        </OrgnlTxRef>
      </TxInfAndSts>`,
    )
    .join("");
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10">
  <CstmrPmtStsRpt>
    <GrpHdr>
      <MsgId>${o.messageId}</MsgId>
      <CreDtTm>${o.collectionDate}T07:15:00+01:00</CreDtTm>
      <CdtrAgt><FinInstnId><BICFI>ABNANL2A</BICFI></FinInstnId></CdtrAgt>
    </GrpHdr>
    <OrgnlGrpInfAndSts>
      <OrgnlMsgId>${o.originalMessageId}</OrgnlMsgId>
      <OrgnlMsgNmId>${o.originalType ?? "pain.008.001.08"}</OrgnlMsgNmId>
      <OrgnlNbOfTxs>${o.originalCount}</OrgnlNbOfTxs>
      <OrgnlCtrlSum>${formatAmount(o.originalTotal)}</OrgnlCtrlSum>
    </OrgnlGrpInfAndSts>
    <OrgnlPmtInfAndSts>
      <OrgnlPmtInfId>${o.originalMessageId}-1</OrgnlPmtInfId>${txs}
    </OrgnlPmtInfAndSts>
  </CstmrPmtStsRpt>
</Document>
`;
}

export interface CamtTx {
  side: "CRDT" | "DBIT";
  amount: number;
  endToEndId?: string;
  /** Our creditor id on a direct debit (collection or return). */
  creditorId?: string;
  returnReason?: string;
  remittance?: string;
  bookingDate: string;
  /** The payer of a credit (RltdPties/Dbtr and DbtrAcct). */
  debtor?: { name: string; iban: string };
  /** Entry BkTxCd as "Domain/Family/SubFamily", e.g. "PMNT/ICDT/RRTN" for a returned transfer. */
  bankTransactionCode?: string;
}

function relatedParties(t: CamtTx): string {
  const debtor = t.debtor
    ? `<Dbtr><Pty><Nm>${t.debtor.name}</Nm></Pty></Dbtr><DbtrAcct><Id><IBAN>${t.debtor.iban}</IBAN></Id></DbtrAcct>`
    : "";
  const creditor = t.creditorId
    ? `<Cdtr><Pty><Nm>Cyberpolis</Nm><Id><PrvtId><Othr><Id>${t.creditorId}</Id><SchmeNm><Prtry>SEPA</Prtry></SchmeNm></Othr></PrvtId></Id></Pty></Cdtr>`
    : "";
  return debtor || creditor ? `\n            <RltdPties>${debtor}${creditor}</RltdPties>` : "";
}

function bankTransactionCode(code: string | undefined): string {
  if (!code) return "";
  const [domain, family, sub] = code.split("/");
  return `\n        <BkTxCd><Domn><Cd>${domain}</Cd><Fmly><Cd>${family}</Cd><SubFmlyCd>${sub}</SubFmlyCd></Fmly></Domn></BkTxCd>`;
}

/** A camt.054.001.08 on an account: one booked entry per transaction. */
export function camt054(o: { messageId: string; accountIban?: string; txs: CamtTx[] }): string {
  const entries = o.txs
    .map(
      (t) => `
      <Ntry>
        <Amt Ccy="EUR">${formatAmount(t.amount)}</Amt>
        <CdtDbtInd>${t.side}</CdtDbtInd>
        <Sts><Cd>BOOK</Cd></Sts>
        <BookgDt><Dt>${t.bookingDate}</Dt></BookgDt>
        <ValDt><Dt>${t.bookingDate}</Dt></ValDt>${bankTransactionCode(t.bankTransactionCode)}
        <NtryDtls>
          <TxDtls>
            <Refs><EndToEndId>${t.endToEndId ?? "NOTPROVIDED"}</EndToEndId></Refs>
            <Amt Ccy="EUR">${formatAmount(t.amount)}</Amt>
            <CdtDbtInd>${t.side}</CdtDbtInd>${relatedParties(t)}${t.remittance ? `\n            <RmtInf><Ustrd>${t.remittance}</Ustrd></RmtInf>` : ""}${
              t.returnReason ? `\n            <RtrInf><Rsn><Cd>${t.returnReason}</Cd></Rsn></RtrInf>` : ""
            }
          </TxDtls>
        </NtryDtls>
      </Ntry>`,
    )
    .join("");
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08">
  <BkToCstmrDbtCdtNtfctn>
    <GrpHdr><MsgId>${o.messageId}</MsgId><CreDtTm>2026-01-01T06:00:00+01:00</CreDtTm></GrpHdr>
    <Ntfctn>
      <Id>NTF-${o.messageId}</Id>
      <Acct><Id><IBAN>${o.accountIban ?? OUR_IBAN}</IBAN></Id></Acct>${entries}
    </Ntfctn>
  </BkToCstmrDbtCdtNtfctn>
</Document>
`;
}

/**
 * A pain.002 that rejects without transaction details: one payment-information block
 * (`paymentInfoId`), or with `paymentInfoId` null the whole message (GrpSts RJCT).
 */
export function pain002BlockReject(o: {
  messageId: string;
  originalMessageId: string;
  originalType: string;
  paymentInfoId: string | null;
  reason: string;
  date: string;
}): string {
  const reason = `<StsRsnInf><Orgtr><Id><OrgId><AnyBIC>INGBNL2A</AnyBIC></OrgId></Id></Orgtr><Rsn><Cd>${o.reason}</Cd></Rsn></StsRsnInf>`;
  const group = o.paymentInfoId === null ? `\n      <GrpSts>RJCT</GrpSts>\n      ${reason}` : "";
  const block =
    o.paymentInfoId === null
      ? ""
      : `
    <OrgnlPmtInfAndSts>
      <OrgnlPmtInfId>${o.paymentInfoId}</OrgnlPmtInfId>
      <PmtInfSts>RJCT</PmtInfSts>
      ${reason}
    </OrgnlPmtInfAndSts>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10">
  <CstmrPmtStsRpt>
    <GrpHdr>
      <MsgId>${o.messageId}</MsgId>
      <CreDtTm>${o.date}T07:15:00+01:00</CreDtTm>
      <CdtrAgt><FinInstnId><BICFI>ABNANL2A</BICFI></FinInstnId></CdtrAgt>
    </GrpHdr>
    <OrgnlGrpInfAndSts>
      <OrgnlMsgId>${o.originalMessageId}</OrgnlMsgId>
      <OrgnlMsgNmId>${o.originalType}</OrgnlMsgNmId>${group}
    </OrgnlGrpInfAndSts>${block}
  </CstmrPmtStsRpt>
</Document>
`;
}
