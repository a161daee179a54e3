/** The ledger module's public surface: code outside src/ledger/ imports only from here. */
export { checkLedger, type LedgerCheck } from "./check.ts";
export { bookedOn, postEntry } from "./post.ts";
export { monthlyReport, reportCsv } from "./report.ts";
export type { AccountCode, LedgerTables } from "./tables.ts";
