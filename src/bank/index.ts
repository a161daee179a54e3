/** SEPA bank files: pain.008 / pain.001 writers, pain.002 / camt.054 readers, XSD validation. */
export {
  type CreditDebit,
  camt054ElementIssues,
  type DebitCreditNotification,
  type NotificationEntry,
  type NotificationTransaction,
  parseDebitCreditNotification,
} from "./camt054.ts";
export { creditorIdCheckDigits, isValidCreditorId, normaliseCreditorId } from "./creditor-id.ts";
export { BankFileError, type BankFileErrorCode } from "./errors.ts";
export { passesIbanScreen } from "./iban.ts";
export { checkDebtorMandate, type DebtorMandate } from "./mandate.ts";
export {
  buildCreditTransferFile,
  type CreditTransfer,
  type CreditTransferFileInput,
  PAIN_001_NAMESPACE,
} from "./pain001.ts";
export {
  type PaymentStatusReport,
  type PaymentStatusTransaction,
  pain002ElementIssues,
  parsePaymentStatusReport,
} from "./pain002.ts";
export {
  buildDirectDebitFile,
  type DirectDebitFileInput,
  type DirectDebitTransaction,
  PAIN_008_NAMESPACE,
  SEQUENCE_TYPES,
  type SequenceType,
} from "./pain008.ts";
export { checkDirectDebitFile, type DirectDebitFileCheck } from "./pain008-check.ts";
export { BANK_FILE_TYPES, type BankFileType, decimalToCents, detectBankFileType } from "./reader.ts";
export { bankXsdDir, type ImportSchemas, importSchemas, PAIN_002_XSD } from "./schema-folder.ts";
export { escapeXml, sepaIdProblem, toSepaText } from "./sepa-text.ts";
export { validateXml, type XmlValidationResult } from "./xsd.ts";
