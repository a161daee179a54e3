import type { Tx } from "../db/schema.ts";
import type { Ctx } from "../shared/context.ts";
import { parseDate } from "../shared/dates.ts";
import { ValidationError } from "../shared/errors.ts";
import { loadCase } from "./cases.ts";
import { insertReferral } from "./store/cases.ts";

/** Records that the helpline advised the customer to turn to one of the product's referral bodies. */
export async function addReferral(
  tx: Tx,
  ctx: Ctx,
  input: { caseId: string; to: string; advisedOn: string },
) {
  const advisedOn = parseDate(input.advisedOn, "advisedOn");
  const { row, terms } = await loadCase(tx, ctx, input.caseId);
  if (!terms.referrals.includes(input.to))
    throw new ValidationError([
      { path: "to", message: `unknown referral "${input.to}"; one of ${terms.referrals.join(", ")}` },
    ]);
  return insertReferral(tx, ctx, row, input.to, advisedOn);
}
