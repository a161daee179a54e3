/** The products module's public surface: code outside src/products/ imports only from here. */

export {
  type AssistanceTerms,
  CASE_PRIORITIES,
  type CasePriority,
  casePriority,
} from "./assistance-schema.ts";
export { type Catalog, defaultCatalog, describeIssues } from "./catalog.ts";
export { checkTerms, quote } from "./quote.ts";
export { type RiskQuestionnaire, TIP_SOURCES } from "./risk-questionnaire-schema.ts";
export { RISK_QUESTIONNAIRE_VERSIONS, riskQuestionnaireOf } from "./risk-questionnaires.ts";
export {
  type HouseholdType,
  householdType,
  type IndemnitySection,
  indemnitySections,
  type PaymentFrequency,
  type PaymentMethod,
  type ProductDefinition,
  paymentFrequency,
  paymentMethod,
} from "./schema.ts";
