/** The assistance module's public surface: other modules import only from here. */
export {
  addNote,
  changePriority,
  changeStatus,
  clockOf,
  loadCase,
  type OpenCaseInput,
  openCase,
  respond,
  termsOf,
} from "./cases.ts";
export { ransomConsentFacts, timeIn } from "./consents.ts";
export { entitlementOn } from "./entitlement.ts";
export { eraseAssistancePartyData } from "./erase.ts";
export * from "./model.ts";
export { renderNotice } from "./notice.ts";
export { addReferral } from "./referrals.ts";
export { moveRemoval, requestRemoval } from "./removal.ts";
export { answerIssues, scoreRisk } from "./risk.ts";
export { questionnaireVersionFor, riskHistory, takeRiskTool } from "./risk-service.ts";
export { targetState } from "./sla.ts";
export {
  acknowledgeBreach,
  caseDetails,
  getCase,
  getCaseByReference,
  insertReferral,
  openEscalations,
  updateCase,
} from "./store/cases.ts";
export { assistancePersonalData } from "./store/export.ts";
export { assessmentHolder, caseHolder, removalHolder } from "./store/holders.ts";
export { consentsOfCase, getAssessment, getRemoval, insertConsent, removalsOfCase } from "./store/items.ts";
export { type QueueFilter, queueQuery } from "./store/sweep.ts";
export { ASSISTANCE_SWEEP, runAssistanceSweep, sweepAssistance } from "./sweep.ts";
export type { CaseRow, RemovalRow } from "./tables.ts";
