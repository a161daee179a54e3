import type { ElementChildren } from "./elements.ts";

/**
 * Building blocks of the element lists of camt.054.001.08 (camt054-elements-08.ts) and
 * camt.054.001.02 (camt054-elements-02.ts). The elements of camt.054.001.08 (ISO 20022, 2019) and camt.054.001.02 (2009) a bank notification
 * may carry, from the message definitions, for imports without the XSD. They cover what banks send
 * in SEPA notifications (accounts, parties, agents, references, amounts, charges, returns,
 * remittance); the rarer branches (interest, securities, card and cash-deposit details, tax,
 * supplementary data) are left out on purpose: a file that carries them is refused until its XSD is
 * in BANK_XSD_DIR, where the full schema decides.
 */

export const T = "text";
export const A = "amount";

export const codeOrProprietary = { Cd: T, Prtry: T } as const;
export const genericId = { Id: T, SchmeNm: codeOrProprietary, Issr: T } as const;
export const accountId = { IBAN: T, Othr: genericId } as const;
export const dateChoice = { Dt: T, DtTm: T } as const;
export const pagination = { PgNb: T, LastPgInd: T } as const;
export const period = { FrDtTm: T, ToDtTm: T } as const;
export const bankTransactionCode = {
  Domn: { Cd: T, Fmly: { Cd: T, SubFmlyCd: T } },
  Prtry: { Cd: T, Issr: T },
} as const;
export const batch = { MsgId: T, PmtInfId: T, NbOfTxs: T, TtlAmt: A, CdtDbtInd: T } as const;
export const exchange = { SrcCcy: T, TrgtCcy: T, UnitCcy: T, XchgRate: T, CtrctId: T, QtnDt: T } as const;
export const amountDetails = { Amt: A, CcyXchg: exchange } as const;
export const amounts = {
  InstdAmt: amountDetails,
  TxAmt: amountDetails,
  CntrValAmt: amountDetails,
  AnncdPstngAmt: amountDetails,
  "PrtryAmt*": { Tp: T, Amt: A, CcyXchg: exchange },
} as const;
export const availability = { Dt: { NbOfDays: T, ActlDt: T }, Amt: A, CdtDbtInd: T } as const;
export const documentType = { CdOrPrtry: codeOrProprietary, Issr: T } as const;
export const remittance = {
  "Ustrd*": T,
  "Strd*": {
    "RfrdDocInf*": { Tp: documentType, Nb: T, RltdDt: T },
    CdtrRefInf: { Tp: documentType, Ref: T },
    "AddtlRmtInf*": T,
  },
} as const;
export const dates = {
  AccptncDtTm: T,
  TradActvtyCtrctlSttlmDt: T,
  TradDt: T,
  IntrBkSttlmDt: T,
  StartDt: T,
  EndDt: T,
  TxDtTm: T,
  "Prtry*": { Tp: T, Dt: dateChoice },
} as const;
export const birth = { BirthDt: T, PrvcOfBirth: T, CityOfBirth: T, CtryOfBirth: T } as const;
export const count = { NbOfNtries: T, Sum: T } as const;
export const contact = { NmPrfx: T, Nm: T, PhneNb: T, MobNb: T, FaxNb: T, EmailAdr: T } as const;
export const agentRoles = (agent: ElementChildren): ElementChildren => ({
  DbtrAgt: agent,
  CdtrAgt: agent,
  IntrmyAgt1: agent,
  IntrmyAgt2: agent,
  IntrmyAgt3: agent,
  RcvgAgt: agent,
  DlvrgAgt: agent,
  IssgAgt: agent,
  SttlmPlc: agent,
  "Prtry*": { Tp: T, Agt: agent },
});
export const partyRoles = (party: ElementChildren, account: ElementChildren): ElementChildren => ({
  InitgPty: party,
  Dbtr: party,
  DbtrAcct: account,
  UltmtDbtr: party,
  Cdtr: party,
  CdtrAcct: account,
  UltmtCdtr: party,
  TradgPty: party,
  "Prtry*": { Tp: T, Pty: party },
});
