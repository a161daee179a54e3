import { type CaseRow, getCase, insertConsent } from "../assistance/index.ts";
import { RANSOM, sectionFor } from "../claims/decide.ts";
import { usedInYear } from "../claims/index.ts";
import type { Tx } from "../db/schema.ts";
import { householdOn } from "../policies/cover.ts";
import { loadPolicy } from "../policies/index.ts";
import type { Ctx } from "../shared/context.ts";
import { compareDates, dateIn, policyYearOf } from "../shared/dates.ts";
import { AppError, ValidationError } from "../shared/errors.ts";
import { eur } from "../shared/i18n/index.ts";
import type { Cents } from "../shared/money.ts";

/** The peril whose section must pay a ransom for a consent to be given. */
const EXTORTION_PERIL = "cyber_extortion";

/**
 * Staff give prior consent to pay a ransom (service-rules.md, "Ransom consent"): on an entitled
 * `extortion` case (entitlement as fixed at opening) of a product whose extortion section pays a
 * ransom, else `consent_not_allowed`; at most what remains that day of the section's annual limit
 * for the household then in force, in the policy year containing that day, minus the payouts
 * approved so far (other consents reserve nothing), else `consent_above_limit`. A refusal
 * records nothing. The consent's instant is `ctx.now`; its day is that instant's date in the
 * product's time zone.
 */
export async function giveRansomConsent(
  tx: Tx,
  ctx: Ctx,
  input: { caseId?: string; row?: CaseRow; maxCents: Cents; givenByName: string },
) {
  const row = input.row ?? (await getCase(tx, input.caseId ?? ""));
  if (!Number.isSafeInteger(input.maxCents) || input.maxCents <= 0)
    throw new ValidationError([{ path: "maxAmount", message: "must be a positive amount" }]);
  const { product, terms, policy } = await loadPolicy(tx, ctx, row.policy_id);
  const section = sectionFor(product, EXTORTION_PERIL);
  const day = dateIn(ctx.now, product.timeZone);
  if (!row.entitled || row.category !== "extortion" || !section?.lossKinds[RANSOM]) {
    throw new AppError(
      "consent_not_allowed",
      !row.entitled
        ? `case ${row.number} is not entitled (${row.entitlement_reason}): no ransom consent`
        : row.category !== "extortion"
          ? `case ${row.number} is about ${row.category}, not extortion`
          : `product ${product.code} does not pay a ransom`,
    );
  }
  if (compareDates(day, terms.startDate) < 0 || ctx.now.getTime() < row.opened_at.getTime())
    throw new AppError("consent_not_allowed", `a consent on ${day} lies before the case or the policy`);
  const household = householdOn(terms, day);
  const limit = section.annualLimit[household] ?? 0;
  const year = policyYearOf(terms.startDate, day, product.leapDayAnniversary);
  const used = await usedInYear(tx, policy.id, { section: section.code, policyYearStart: year.start });
  const remaining = Math.max(0, limit - used);
  if (input.maxCents > remaining)
    throw new AppError(
      "consent_above_limit",
      `a consent of ${eur(input.maxCents)} exceeds the ${eur(remaining)} that remains of section ${section.code} in the policy year from ${year.start}`,
    );
  return insertConsent(tx, ctx, row, {
    givenOn: day,
    givenByName: input.givenByName,
    maxCents: input.maxCents,
  });
}
