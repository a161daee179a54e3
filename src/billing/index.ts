/** The billing module's public surface: code outside src/billing/ imports only from here. */
export { reconcilePolicyBilling } from "./adjustments.ts";
export { chargeByReference, chargeOutstanding, payCharge, returnCharge } from "./charge-settle.ts";
export { type ChargesRun, runCharges } from "./charges.ts";
export { collectionByReference } from "./collection-lookup.ts";
export type { CollectionsTables } from "./collections-tables.ts";
export { type BillingConfig, billingConfig } from "./config.ts";
export { type DunningResult, runDunning } from "./dunning.ts";
export { billingPersonalValues, eraseBillingPartyData } from "./erase.ts";
export { assertMandate, maskIban, normaliseIban, registerMandate } from "./mandates.ts";
export { paidForInvoicedPeriod } from "./paid.ts";
export { type RunSummary, runBilling } from "./run.ts";
export { listSetAside } from "./set-aside.ts";
export {
  invoiceByReference,
  outstandingOf,
  payInvoice,
  recordInvoicePayment,
  returnInvoice,
} from "./settle.ts";
export {
  batchByMessageId,
  creditTransferFiles,
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
