/** The products module's public surface: code outside src/products/ imports only from here. */
export { type Catalog, defaultCatalog, describeIssues } from "./catalog.ts";
export { checkTerms, quote } from "./quote.ts";
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
