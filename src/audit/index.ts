/** The audit module's public surface: code outside src/audit/ imports only from here. */
export { eraseAuditPartyData } from "./erase.ts";
export { type AuditEntry, auditInsert, auditTrail, recordAudit } from "./store.ts";
