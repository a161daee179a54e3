import { reconcilePolicyBilling } from "../billing/index.ts";
import type { Tx } from "../db/schema.ts";
import { changeHousehold } from "../policies/index.ts";
import type { HouseholdType } from "../products/index.ts";
import type { Ctx } from "../shared/context.ts";
import type { IsoDate } from "../shared/dates.ts";

/**
 * A change of household with its premium correction, in one transaction and in this order:
 * 1. policies: the endorsement (the policy row locked, its version bumped);
 * 2. billing: every period already invoiced is corrected pro rata at once (charge, credit note
 *    or refund, each with its ledger entry), not at the next billing run.
 */
export async function changeHouseholdWithBilling(
  tx: Tx,
  ctx: Ctx,
  input: { policyId: string; effectiveDate: IsoDate; household: HouseholdType },
) {
  const endorsement = await changeHousehold(tx, ctx, input);
  await reconcilePolicyBilling(tx, ctx, input.policyId);
  return endorsement;
}
