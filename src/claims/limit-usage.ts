import type { Tx } from "../db/schema.ts";
import type { Ctx } from "../shared/context.ts";
import type { IsoDate } from "../shared/dates.ts";
import type { Cents } from "../shared/money.ts";

/**
 * Locks the usage row of a policy's section and policy year (creating it at zero) and returns what
 * is used of the limit. A no-op update instead of "do nothing": it locks an existing row like FOR
 * UPDATE and returns the usage in one round trip, so concurrent decisions on the same limit queue
 * here and never pay beyond it.
 */
export async function lockLimitUsage(
  tx: Tx,
  ctx: Ctx,
  policyId: string,
  key: { section: string; policyYearStart: IsoDate },
): Promise<Cents> {
  const row = await tx
    .insertInto("limit_usage")
    .values({
      policy_id: policyId,
      section: key.section,
      policy_year_start: key.policyYearStart,
      updated_at: ctx.now,
    })
    .onConflict((oc) =>
      oc
        .columns(["policy_id", "section", "policy_year_start"])
        .doUpdateSet((eb) => ({ used_cents: eb.ref("limit_usage.used_cents") })),
    )
    .returning("used_cents")
    .executeTakeFirstOrThrow();
  return row.used_cents;
}
