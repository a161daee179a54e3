import { recordAudit } from "../audit/index.ts";
import { holdsAny } from "../db/contains.ts";
import type { Tx } from "../db/schema.ts";
import type { Ctx } from "../shared/context.ts";
import { ERASED, type ErasureScope } from "../shared/erasure.ts";
import { emailHash } from "./login-failures.ts";
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
export async function eraseIdentityPartyData(tx: Tx, ctx: Ctx, scope: ErasureScope): Promise<void> {
  if (scope.userIds.length > 0) {
    // The failed-login record is keyed by a hash of the address, which anyone who knows the
    // address can recompute: it goes with the login.
    const logins = await tx.selectFrom("users").select("email").where("id", "in", scope.userIds).execute();
    const hashes = logins.map((u) => emailHash(u.email));
    if (hashes.length > 0) await tx.deleteFrom("login_failures").where("email_hash", "in", hashes).execute();
  }
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
    const revoked = await tx
      .updateTable("api_tokens")
      .set({ revoked_at: scope.now })
      .where("user_id", "in", scope.userIds)
      .where("revoked_at", "is", null)
      .returning(["id", "user_id"])
      .execute();
    // Every revocation is audited, this one too (the label is gone with the person).
    for (const t of revoked) {
      await recordAudit(tx, ctx, {
        action: "api_token.revoked",
        entityType: "user",
        entityId: t.user_id,
        after: { tokenId: t.id, label: ERASED, how: "erasure" },
      });
    }
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
