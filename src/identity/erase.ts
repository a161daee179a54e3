import { holdsAny } from "../db/contains.ts";
import type { Tx } from "../db/schema.ts";
import { ERASED, type ErasureScope } from "../shared/erasure.ts";
import { forgetUserPrincipals } from "./service.ts";

/** The party's logins, with the values they hold about the person. */
export async function partyUsers(tx: Tx, partyId: string) {
  const users = await tx
    .selectFrom("users")
    .select(["id", "email", "display_name"])
    .where("party_id", "=", partyId)
    .execute();
  return { userIds: users.map((u) => u.id), values: users.flatMap((u) => [u.email, u.display_name]) };
}

/**
 * The identity module's part of erasing a party: the logins stay as rows (audit entries and
 * decisions name `user:<id>` as their actor) but can never log in again and hold nothing of the
 * person; sessions go; tokens are revoked and lose their labels. A token label any other user
 * gave that names the party loses those values.
 */
export async function eraseIdentityPartyData(tx: Tx, scope: ErasureScope): Promise<void> {
  for (const id of scope.userIds) {
    await tx
      .updateTable("users")
      .set({
        email: `${id}@erased.invalid`,
        display_name: scope.alias,
        password_hash: "!erased",
        disabled_at: scope.now,
      })
      .where("id", "=", id)
      .execute();
  }
  if (scope.userIds.length > 0) {
    await tx.deleteFrom("sessions").where("user_id", "in", scope.userIds).execute();
    await tx
      .updateTable("api_tokens")
      .set({ revoked_at: scope.now })
      .where("user_id", "in", scope.userIds)
      .where("revoked_at", "is", null)
      .execute();
    await tx.updateTable("api_tokens").set({ label: ERASED }).where("user_id", "in", scope.userIds).execute();
  }
  const named = await tx
    .selectFrom("api_tokens")
    .select(["id", "label"])
    .where(holdsAny("label", scope.identifying, "text"))
    .execute();
  for (const t of named) {
    await tx
      .updateTable("api_tokens")
      .set({ label: scope.identifying.text(t.label) })
      .where("id", "=", t.id)
      .execute();
  }
  // Cached principals of this process go now; other processes drop them within the cache TTL.
  for (const id of scope.userIds) forgetUserPrincipals(id);
}
