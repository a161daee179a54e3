import { holdsAny } from "../db/contains.ts";
import type { Tx } from "../db/schema.ts";
import type { ErasureScope } from "../shared/erasure.ts";

/**
 * The audit module's part of erasing a party. The log stays (who did what when is the insurer's
 * accountability), with the party's values cut out of the before/after images: every value known
 * about the party in entries about their policies, logins and party row; the identifying values
 * (name, e-mail, phone, IBAN) in any other entry that quotes them.
 */
export async function eraseAuditPartyData(tx: Tx, scope: ErasureScope): Promise<void> {
  const entities = [scope.partyId, ...scope.userIds];
  const rows = await tx
    .selectFrom("audit_log")
    .select(["id", "policy_id", "entity_id", "before", "after"])
    .where((eb) => {
      const linked = [eb("entity_id", "in", entities)];
      if (scope.policyIds.length > 0) linked.push(eb("policy_id", "in", scope.policyIds));
      return eb.or([
        ...linked,
        holdsAny("before", scope.identifying, "json"),
        holdsAny("after", scope.identifying, "json"),
      ]);
    })
    .execute();
  for (const a of rows) {
    const own =
      entities.includes(a.entity_id) || (a.policy_id !== null && scope.policyIds.includes(a.policy_id));
    const r = own ? scope.own : scope.identifying;
    const before = a.before === null ? null : JSON.stringify(r.json(a.before));
    const after = a.after === null ? null : JSON.stringify(r.json(a.after));
    if (before === JSON.stringify(a.before) && after === JSON.stringify(a.after)) continue;
    await tx.updateTable("audit_log").set({ before, after }).where("id", "=", a.id).execute();
  }
}
