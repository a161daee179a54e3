import {
  A,
  accountId,
  agentRoles,
  amounts,
  availability,
  bankTransactionCode,
  batch,
  birth,
  codeOrProprietary,
  contact,
  count,
  dateChoice,
  dates,
  genericId,
  pagination,
  partyRoles,
  period,
  remittance,
  T,
} from "./camt054-elements.ts";
import type { ElementTable } from "./elements.ts";

// camt.054.001.02: parties directly under their role, the entry status a plain code, the
// transaction amount only in AmtDtls, and charges as repeated records.
const address02 = {
  AdrTp: T,
  Dept: T,
  SubDept: T,
  StrtNm: T,
  BldgNb: T,
  PstCd: T,
  TwnNm: T,
  CtrySubDvsn: T,
  Ctry: T,
  "AdrLine*": T,
} as const;
const party02 = {
  Nm: T,
  PstlAdr: address02,
  Id: {
    OrgId: { BICOrBEI: T, "Othr*": genericId },
    PrvtId: { DtAndPlcOfBirth: birth, "Othr*": genericId },
  },
  CtryOfRes: T,
  CtctDtls: { ...contact, Othr: T },
} as const;
const agent02 = {
  FinInstnId: {
    BIC: T,
    ClrSysMmbId: { ClrSysId: codeOrProprietary, MmbId: T },
    Nm: T,
    PstlAdr: address02,
    Othr: genericId,
  },
  BrnchId: { Id: T, Nm: T, PstlAdr: address02 },
} as const;
const account02 = { Id: accountId, Tp: codeOrProprietary, Ccy: T, Nm: T } as const;
const charges02 = {
  TtlChrgsAndTaxAmt: A,
  Amt: A,
  CdtDbtInd: T,
  Tp: { Cd: T, Prtry: { Id: T, Issr: T } },
  Rate: T,
  Br: T,
  Pty: agent02,
  Tax: { Id: T, Rate: T, Amt: A },
} as const;
const transaction02 = {
  Refs: {
    MsgId: T,
    AcctSvcrRef: T,
    PmtInfId: T,
    InstrId: T,
    EndToEndId: T,
    TxId: T,
    MndtId: T,
    ChqNb: T,
    ClrSysRef: T,
    Prtry: { Tp: T, Ref: T },
  },
  AmtDtls: amounts,
  "Avlbty*": availability,
  BkTxCd: bankTransactionCode,
  "Chrgs*": charges02,
  RltdPties: partyRoles(party02, account02),
  RltdAgts: agentRoles(agent02),
  Purp: codeOrProprietary,
  RmtInf: remittance,
  RltdDts: dates,
  RtrInf: { OrgnlBkTxCd: bankTransactionCode, Orgtr: party02, Rsn: codeOrProprietary, "AddtlInf*": T },
  AddtlTxInf: T,
} as const;
const total02 = { ...count, TtlNetNtryAmt: T, CdtDbtInd: T } as const;

export const CAMT_054_001_02: ElementTable = {
  version: "camt.054.001.02",
  document: {
    BkToCstmrDbtCdtNtfctn: {
      GrpHdr: { MsgId: T, CreDtTm: T, MsgRcpt: party02, MsgPgntn: pagination, AddtlInf: T },
      "Ntfctn*": {
        Id: T,
        NtfctnPgntn: pagination,
        ElctrncSeqNb: T,
        LglSeqNb: T,
        CreDtTm: T,
        FrToDt: period,
        CpyDplctInd: T,
        Acct: { ...account02, Ownr: party02, Svcr: agent02 },
        RltdAcct: account02,
        TxsSummry: {
          TtlNtries: total02,
          TtlCdtNtries: count,
          TtlDbtNtries: count,
          "TtlNtriesPerBkTxCd*": {
            ...total02,
            FcstInd: T,
            BkTxCd: bankTransactionCode,
            "Avlbty*": availability,
          },
        },
        "Ntry*": {
          NtryRef: T,
          Amt: A,
          CdtDbtInd: T,
          RvslInd: T,
          Sts: T,
          BookgDt: dateChoice,
          ValDt: dateChoice,
          AcctSvcrRef: T,
          "Avlbty*": availability,
          BkTxCd: bankTransactionCode,
          ComssnWvrInd: T,
          AddtlInfInd: { MsgNmId: T, MsgId: T },
          AmtDtls: amounts,
          "Chrgs*": charges02,
          TechInptChanl: codeOrProprietary,
          "NtryDtls*": { Btch: batch, "TxDtls*": transaction02 },
          AddtlNtryInf: T,
        },
        AddtlNtfctnInf: T,
      },
    },
  },
};
