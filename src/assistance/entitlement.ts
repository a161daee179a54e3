import { coverOn, type PolicyTerms } from "../policies/cover.ts";
import { dateIn } from "../shared/dates.ts";
import type { EntitlementReason } from "./model.ts";

/**
 * A case is entitled when the policy's cover is in force on the contact date (openedAt's
 * calendar date in the product's time zone); `not_in_force` comes before `cover_suspended`
 * (coverOn checks them in that order). Pure. Nobody is turned away: an unentitled case is still
 * registered and answered, with advice only.
 */
export function entitlementOn(
  terms: PolicyTerms,
  timeZone: string,
  openedAt: Date,
): { entitled: boolean; reason: EntitlementReason | null } {
  const cover = coverOn(terms, dateIn(openedAt, timeZone));
  if (cover.status === "in_force") return { entitled: true, reason: null };
  return { entitled: false, reason: cover.status === "suspended" ? "cover_suspended" : "not_in_force" };
}
