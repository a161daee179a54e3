import type { Updateable } from "kysely";
import type { ClaimRow, ClaimsTable, Tx } from "../db/schema.ts";
import type { Ctx } from "../shared/context.ts";
import { AppError } from "../shared/errors.ts";

/**
 * Compare-and-set on the claim's version: a decision, an override or a referral applies only to
 * the claim as it was read, so a double submit or a racing handler can't apply twice.
 */
export async function updateClaim(
  tx: Tx,
  ctx: Ctx,
  claim: ClaimRow,
  changes: Omit<Updateable<ClaimsTable>, "id" | "version" | "updated_at">,
): Promise<ClaimRow> {
  const updated = await tx
    .updateTable("claims")
    .set({ ...changes, updated_at: ctx.now, version: claim.version + 1 })
    .where("id", "=", claim.id)
    .where("version", "=", claim.version)
    .returningAll()
    .executeTakeFirst();
  if (!updated) throw new AppError("conflict", `claim ${claim.number} changed concurrently; retry`);
  return updated;
}
