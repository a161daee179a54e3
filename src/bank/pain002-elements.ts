import { A, codeOrProprietary, dateChoice, remittance, T } from "./camt054-elements.ts";
import { account08, agent08, party08, partyChoice08 } from "./camt054-elements-08.ts";
import type { ElementTable } from "./elements.ts";

/**
 * The elements of pain.002.001.10 (ISO 20022, 2019) a bank's status report may carry, for a report
 * not held to the EPC XSD (that schema admits only rejections, so a report with positive statuses
 * is read without it). As for camt.054, the rare branches (settlement information, mandate
 * amendments, supplementary data) are left out: such a report is refused.
 */
const reason = { Orgtr: party08, Rsn: codeOrProprietary, "AddtlInf*": T } as const;
const perStatus = { DtldNbOfTxs: T, DtldSts: T, DtldCtrlSum: T } as const;
const originalTransaction = {
  IntrBkSttlmAmt: A,
  Amt: { InstdAmt: A, EqvtAmt: { Amt: A, CcyOfTrf: T } },
  IntrBkSttlmDt: T,
  ReqdColltnDt: T,
  ReqdExctnDt: dateChoice,
  CdtrSchmeId: party08,
  PmtTpInf: {
    InstrPrty: T,
    ClrChanl: T,
    "SvcLvl*": codeOrProprietary,
    LclInstrm: codeOrProprietary,
    SeqTp: T,
    CtgyPurp: codeOrProprietary,
  },
  PmtMtd: T,
  MndtRltdInf: {
    MndtId: T,
    DtOfSgntr: T,
    AmdmntInd: T,
    ElctrncSgntr: T,
    FrstColltnDt: T,
    FnlColltnDt: T,
    Frqcy: { Tp: T, Prd: { Tp: T, CntPerPrd: T }, PtInTm: { Tp: T, PtInTm: T } },
    Rsn: codeOrProprietary,
    TrckgDays: T,
  },
  RmtInf: remittance,
  UltmtDbtr: partyChoice08,
  Dbtr: partyChoice08,
  DbtrAcct: account08,
  DbtrAgt: agent08,
  DbtrAgtAcct: account08,
  CdtrAgt: agent08,
  CdtrAgtAcct: account08,
  Cdtr: partyChoice08,
  CdtrAcct: account08,
  UltmtCdtr: partyChoice08,
  Purp: codeOrProprietary,
} as const;

export const PAIN_002_001_10: ElementTable = {
  version: "pain.002.001.10",
  document: {
    CstmrPmtStsRpt: {
      GrpHdr: {
        MsgId: T,
        CreDtTm: T,
        InitgPty: party08,
        FwdgAgt: agent08,
        DbtrAgt: agent08,
        CdtrAgt: agent08,
      },
      OrgnlGrpInfAndSts: {
        OrgnlMsgId: T,
        OrgnlMsgNmId: T,
        OrgnlCreDtTm: T,
        OrgnlNbOfTxs: T,
        OrgnlCtrlSum: T,
        GrpSts: T,
        "StsRsnInf*": reason,
        "NbOfTxsPerSts*": perStatus,
      },
      "OrgnlPmtInfAndSts*": {
        OrgnlPmtInfId: T,
        OrgnlNbOfTxs: T,
        OrgnlCtrlSum: T,
        PmtInfSts: T,
        "StsRsnInf*": reason,
        "NbOfTxsPerSts*": perStatus,
        "TxInfAndSts*": {
          StsId: T,
          OrgnlInstrId: T,
          OrgnlEndToEndId: T,
          OrgnlUETR: T,
          TxSts: T,
          "StsRsnInf*": reason,
          "ChrgsInf*": { Amt: A, Agt: agent08, Tp: { Cd: T, Prtry: { Id: T, Issr: T } } },
          AccptncDtTm: T,
          AcctSvcrRef: T,
          ClrSysRef: T,
          OrgnlTxRef: originalTransaction,
        },
      },
    },
  },
};
