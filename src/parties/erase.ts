import type { Tx } from "../db/schema.ts";
import type { ErasureScope } from "../shared/erasure.ts";

/** The party row, locked for the erasure (a second erasure waits, then finds it erased). */
export async function lockParty(tx: Tx, partyId: string) {
  return tx.selectFrom("parties").selectAll().where("id", "=", partyId).forUpdate().executeTakeFirst();
}

/**
 * The parties module's part of erasing a party: the row stays (policies point at it) with the
 * alias as its name and nothing else about the person; `erased_at` says it happened.
 */
export async function erasePartyRow(tx: Tx, scope: ErasureScope): Promise<void> {
  await tx
    .updateTable("parties")
    .set({
      name: scope.alias,
      email: null,
      phone: null,
      birth_date: null,
      address: null,
      erased_at: scope.now,
    })
    .where("id", "=", scope.partyId)
    .execute();
}
