import { recordAudit } from "../audit/index.ts";
import type { Tx } from "../db/schema.ts";
import type { Ctx } from "../shared/context.ts";
import { ERASED, type ErasureScope } from "../shared/erasure.ts";
import { forgetUserPrincipals } from "./service.ts";
import {
  deleteFailures,
  deleteUserSessions,
  emailHash,
  emailsOf,
  eraseUser,
  partyUserRows,
  revokeUserTokens,
  scrubTokenLabels,
  setUserTokenLabels,
  spendUserLinks,
} from "./store/index.ts";

/** The party's logins, with the values they hold about the person. */
export async function partyUsers(tx: Tx, partyId: string) {
  const users = await partyUserRows(tx, partyId);
  return { userIds: users.map((u) => u.id), values: users.flatMap((u) => [u.email, u.display_name]) };
}

/**
 * The identity module's part of erasing a party: the logins stay as rows (audit entries and
 * decisions name `user:<id>` as their actor) but can never log in again and hold nothing of the
 * person; sessions go; tokens are revoked and lose their labels; links in account mails stop
 * working. A token label any other user gave that names the party loses those values.
 */
export async function eraseIdentityPartyData(tx: Tx, ctx: Ctx, scope: ErasureScope): Promise<void> {
  // The failed-login record is keyed by a hash of the address, which anyone who knows the
  // address can recompute: it goes with the login.
  await deleteFailures(tx, (await emailsOf(tx, scope.userIds)).map(emailHash));
  for (const id of scope.userIds) await eraseUser(tx, id, scope.alias, scope.now);
  await deleteUserSessions(tx, scope.userIds);
  await spendUserLinks(tx, scope.userIds, scope.now);
  const revoked = await revokeUserTokens(tx, scope.userIds, scope.now);
  // Every revocation is audited, this one too (the label is gone with the person).
  for (const t of revoked) {
    await recordAudit(tx, ctx, {
      action: "api_token.revoked",
      entityType: "user",
      entityId: t.user_id,
      after: { tokenId: t.id, label: ERASED, how: "erasure" },
    });
  }
  await setUserTokenLabels(tx, scope.userIds, ERASED);
  await scrubTokenLabels(tx, scope);
  // Cached principals of this process go now; other processes drop them within the cache TTL.
  for (const id of scope.userIds) forgetUserPrincipals(id);
}
