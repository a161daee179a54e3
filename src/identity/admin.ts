import { recordAudit } from "../audit/index.ts";
import type { Tx } from "../db/schema.ts";
import type { Ctx } from "../shared/context.ts";
import { AppError, ValidationError } from "../shared/errors.ts";
import { userOrThrow } from "./accounts.ts";
import { ERASED_PASSWORD } from "./model.ts";
import { evictToken } from "./principal-cache.ts";
import { isStaff, type Role } from "./roles.ts";
import { forgetUserPrincipals } from "./service.ts";
import {
  clearDisabled,
  deleteUserSessions,
  revokeUserTokens,
  setDisabled,
  setRole,
  spendUserLinks,
  type UserRow,
} from "./store/index.ts";

/**
 * An admin's changes to a login: disable (its sessions end, its tokens are revoked, its mailed
 * links stop working), enable, change a staff role. An admin never disables or demotes their own
 * login, so the last admin cannot lock everyone out by mistake.
 */
function notYourself(userId: string, by: string, what: string) {
  if (userId === by) throw new AppError("forbidden", `you cannot ${what} your own login`);
}

export async function disableUser(tx: Tx, ctx: Ctx, input: { userId: string; by: string }): Promise<UserRow> {
  const user = await userOrThrow(tx, input.userId);
  notYourself(user.id, input.by, "disable");
  const changed = await setDisabled(tx, user.id, ctx.now);
  if (!changed) return user;
  const sessions = await deleteUserSessions(tx, [user.id]);
  await spendUserLinks(tx, [user.id], ctx.now);
  const tokens = await revokeUserTokens(tx, [user.id], ctx.now);
  for (const t of tokens) {
    evictToken(t.token_hash);
    await recordAudit(tx, ctx, {
      action: "api_token.revoked",
      entityType: "user",
      entityId: user.id,
      after: { tokenId: t.id, label: t.label, how: "user_disabled" },
    });
  }
  forgetUserPrincipals(user.id);
  await recordAudit(tx, ctx, {
    action: "user.disabled",
    entityType: "user",
    entityId: user.id,
    after: { sessionsEnded: sessions, tokensRevoked: tokens.length },
  });
  return changed;
}

export async function enableUser(tx: Tx, ctx: Ctx, input: { userId: string }): Promise<UserRow> {
  const user = await userOrThrow(tx, input.userId);
  if (user.password_hash === ERASED_PASSWORD)
    throw new AppError("conflict", "an erased login cannot be enabled", [{ path: "id", message: "erased" }]);
  const changed = await clearDisabled(tx, user.id);
  if (!changed) return user;
  await recordAudit(tx, ctx, { action: "user.enabled", entityType: "user", entityId: user.id, after: {} });
  return changed;
}

export async function changeRole(
  tx: Tx,
  ctx: Ctx,
  input: { userId: string; role: Role; by: string },
): Promise<UserRow> {
  const user = await userOrThrow(tx, input.userId);
  if (!isStaff(user.role) || !isStaff(input.role))
    throw new ValidationError([
      { path: "role", message: "only staff logins change role, and only to another staff role" },
    ]);
  if (user.role === input.role) return user;
  notYourself(user.id, input.by, "change the role of");
  // The row is locked (userOrThrow), so the compare-and-set cannot lose; it states the rule.
  const changed = await setRole(tx, user.id, user.role, input.role);
  if (!changed) throw new AppError("conflict", "the user's role changed concurrently; retry");
  forgetUserPrincipals(user.id);
  await recordAudit(tx, ctx, {
    action: "user.role_changed",
    entityType: "user",
    entityId: user.id,
    before: { role: user.role },
    after: { role: input.role },
  });
  return changed;
}
