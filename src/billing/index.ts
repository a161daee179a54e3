/** The billing module's public surface: code outside src/billing/ imports only from here. */
export { reconcilePolicyBilling } from "./adjustments.ts";
export {
  chargeByReference,
  chargeOutstanding,
  payCharge,
  returnCharge,
} from "./collections/charge-settle.ts";
export { type ChargesRun, runCharges } from "./collections/charges.ts";
export { collectionByReference } from "./collections/collection-lookup.ts";
export { paidForInvoicedPeriod } from "./collections/paid.ts";
export { listSetAside } from "./collections/set-aside.ts";
export {
  invoiceByReference,
  outstandingOf,
  payInvoice,
  recordInvoicePayment,
  returnInvoice,
} from "./collections/settle.ts";
export type { CollectionsTables } from "./collections-tables.ts";
export { type BillingConfig, billingConfig, DEMO_CREDITOR } from "./config.ts";
export { adjustmentById, mandateInForce, premiumLetterById } from "./document-reads.ts";
export { type DunningResult, runDunning } from "./dunning/dunning.ts";
export { billingPersonalValues, eraseBillingPartyData } from "./erase.ts";
export { assertMandate, maskIban, normaliseIban, registerMandate } from "./mandates.ts";
export { type RunSummary, runBilling } from "./run/run.ts";
export {
  batchByMessageId,
  creditTransferFiles,
  debitReferencesOfBatch,
  insertCreditTransferBatch,
  insertImport,
  markBatchesSubmitted,
  type PaymentBatch,
  priorImport,
  setImportSummary,
  settleBatch,
} from "./store/bank-files.ts";
export { setRefundBatch, setRefundedOn } from "./store/refunds.ts";
export type { BillingTables } from "./tables.ts";
