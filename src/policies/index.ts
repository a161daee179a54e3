/** The policies module's public surface: code outside src/policies/ imports only from here. */
export { coverOn, householdOn, type PolicyTerms } from "./cover.ts";
export { partyPolicies } from "./erase.ts";
export {
  holderAndMandate,
  type ListedPolicyRow,
  listPolicies,
  type PolicyFilter,
  policyExists,
  policyHolder,
} from "./list.ts";
export { recordPremiumPayment, recordPremiumReminder } from "./premium-default.ts";
export { type LoadedPolicy, loadedPolicyOf, loadPolicy, policiesWithTerms } from "./repository.ts";
export {
  type BindPolicyInput,
  bindPolicy,
  type CancelResult,
  cancelPolicy,
  changeHousehold,
  type PartyInput,
} from "./service.ts";
export { checkStartDate } from "./start-date.ts";
