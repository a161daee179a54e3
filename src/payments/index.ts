/** The payments module's public surface: code outside src/payments/ imports only from here. */
export { setPayoutAccount } from "./accounts.ts";
export { lowerClaimPayouts } from "./claim-payouts.ts";
export { markPayoutExecuted, payoutByEndToEndId } from "./confirm.ts";
export { erasePaymentsPartyData, paymentsPersonalValues, payoutsOnTheirWay } from "./erase.ts";
export { exportPayments, type PaymentsExport } from "./export.ts";
export { markPayoutRejected, markPayoutReturned, pastAttempt } from "./failures.ts";
export { recordOverpayment } from "./overpayments.ts";
export { payoutAttemptByEndToEndId, payoutReferencesOfBatch } from "./store.ts";
export type { PaymentsTables } from "./tables.ts";
