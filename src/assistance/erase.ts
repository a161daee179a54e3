import type { Tx } from "../db/schema.ts";
import { ERASED, type ErasureScope } from "../shared/erasure.ts";

/**
 * The assistance module's part of erasing a party. Cases, their status and priority history,
 * breaches, referrals and ransom consents stay as the record of the service given and of what a
 * claim decision relied on (instants, statuses, amounts, who decided). Gone: everything said or
 * typed about the person — notes, the opener's reference, content-removal URLs, explanations and
 * notices — and the risk-tool answers, which the insurer has no reason to keep. Staff's reasons
 * keep their wording without the party's values.
 */
export async function eraseAssistancePartyData(tx: Tx, scope: ErasureScope): Promise<void> {
  await tx.deleteFrom("risk_assessments").where("party_id", "=", scope.partyId).execute();
  const ids = scope.policyIds;
  if (ids.length === 0) return;
  await tx.updateTable("assistance_notes").set({ body: ERASED }).where("policy_id", "in", ids).execute();
  await tx.updateTable("assistance_cases").set({ reference: null }).where("policy_id", "in", ids).execute();
  await tx
    .updateTable("content_removals")
    .set({ url: "https://erased.invalid/", explanation: ERASED, notice_text: ERASED, platform: ERASED })
    .where("policy_id", "in", ids)
    .execute();
  const own = scope.own;
  const reasons = await tx
    .selectFrom("assistance_status_changes")
    .select(["id", "reason"])
    .where("policy_id", "in", ids)
    .where("reason", "is not", null)
    .execute();
  for (const r of reasons)
    if (r.reason && own.finds(r.reason))
      await tx
        .updateTable("assistance_status_changes")
        .set({ reason: own.text(r.reason) })
        .where("id", "=", r.id)
        .execute();
  const priorities = await tx
    .selectFrom("assistance_priority_changes")
    .select(["id", "reason"])
    .where("policy_id", "in", ids)
    .execute();
  for (const p of priorities)
    if (own.finds(p.reason))
      await tx
        .updateTable("assistance_priority_changes")
        .set({ reason: own.text(p.reason) })
        .where("id", "=", p.id)
        .execute();
  await tx
    .updateTable("assistance_cases")
    .set((eb) => ({ priority_reason: eb.val(ERASED) }))
    .where("policy_id", "in", ids)
    .where("priority_reason", "is not", null)
    .execute();
}
