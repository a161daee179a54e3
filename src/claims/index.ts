/** The claims module's public surface: code outside src/claims/ imports only from here. */
export { type ClaimsConfig, claimsConfig, DEFAULT_CLAIMS_CONFIG } from "./config.ts";
export { decisionForLetter } from "./document-reads.ts";
export { claimsInHandling, eraseClaimsPartyData } from "./erase.ts";
export {
  addEvidence,
  cleanFileName,
  EVIDENCE_KINDS,
  EVIDENCE_TYPES,
  getEvidence,
  listEvidence,
} from "./evidence.ts";
export { explainDecision } from "./explain.ts";
export {
  type ClaimFilter,
  claimWithDetails,
  type DetailedClaimRow,
  decisionHistory,
  listClaims,
} from "./list.ts";
export { requestOverride, reviewOverride } from "./override.ts";
export { claimsQueue, referClaim } from "./queue.ts";
export { fileClaim, getClaimByReference, supplyClaimFacts } from "./service.ts";
export { type ExplanationStep, explanationStep } from "./steps.ts";
export type { ClaimsStaffTables } from "./tables.ts";
export type { DecidedLine, Decision } from "./types.ts";
