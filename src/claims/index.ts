/** The claims module's public surface: code outside src/claims/ imports only from here. */
export { type ClaimsConfig, claimsConfig, DEFAULT_CLAIMS_CONFIG } from "./config.ts";
export { RANSOM, sectionFor } from "./decide.ts";
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
export { checkFactAuthor, INSURER_FACTS } from "./insurer-facts.ts";
export {
  type ClaimFilter,
  claimHolder,
  claimWithDetails,
  type DetailedClaimRow,
  decisionHistory,
  listClaims,
} from "./list.ts";
export { requestOverride, reviewOverride } from "./override.ts";
export { claimsQueue, referClaim } from "./queue.ts";
export { type FileClaimInput, fileClaim, getClaimByReference, supplyClaimFacts } from "./service.ts";
export { type ExplanationStep, explanationStep } from "./steps.ts";
export { usedInYear } from "./store.ts";
export type { ClaimsStaffTables } from "./tables.ts";
export type { DecidedLine, Decision, RansomConsentFact } from "./types.ts";
