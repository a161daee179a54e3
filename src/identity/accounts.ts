import { recordAudit } from "../audit/index.ts";
import type { Tx } from "../db/schema.ts";
import type { Ctx } from "../shared/context.ts";
import { AppError, NotFoundError, ValidationError } from "../shared/errors.ts";
import type { Language } from "../shared/i18n/index.ts";
import { accountMail, linkUrl } from "./mails.ts";
import {
  type AccountMail,
  type AccountMailKind,
  type LinkLifetimes,
  type LinkPurpose,
  NO_PASSWORD,
} from "./model.ts";
import { hashPassword } from "./passwords.ts";
import { isStaff, type Role } from "./roles.ts";
import { checkPassword, forgetUserPrincipals } from "./service.ts";
import {
  deleteUserSessions,
  findUserByEmail,
  insertLink,
  insertUser,
  lockUser,
  partyUserRows,
  setPassword,
  setVerified,
  spendLink,
  spendUserLinks,
  type UserRow,
} from "./store/index.ts";
import { newToken, tokenHash } from "./tokens.ts";

/**
 * Accounts: self sign-up with e-mail verification, invitations (staff, policyholder logins) and
 * password reset. Every link is single-use and expires (store/links.ts keeps only its hash). A
 * use case returns the mail to send; the caller hands it to the Mailer once its transaction has
 * committed, so no mail ever announces something that was rolled back. Answers to anonymous
 * callers never tell whether an address has an account: that is in the mail, to its owner.
 */
export interface LinkSettings {
  /** Where the portal is reached: links point at `<publicUrl>/account/...`. */
  publicUrl: string;
  lifetimes: LinkLifetimes;
}

const PURPOSE: Record<AccountMailKind, LinkPurpose> = {
  verify_email: "verify_email",
  reset_password: "reset_password",
  invitation: "invitation",
  already_registered: "reset_password",
};

async function mailWithLink(
  tx: Tx,
  ctx: Ctx,
  user: Pick<UserRow, "id" | "email" | "display_name">,
  kind: AccountMailKind,
  language: Language,
  links: LinkSettings,
): Promise<AccountMail> {
  const token = newToken();
  const purpose = PURPOSE[kind];
  const validSeconds = links.lifetimes[purpose];
  await insertLink(tx, {
    tokenHash: tokenHash(token),
    userId: user.id,
    purpose,
    now: ctx.now,
    expiresAt: new Date(ctx.now.getTime() + validSeconds * 1000),
  });
  const link = linkUrl(links.publicUrl, kind, token);
  return accountMail({ kind, language, to: user.email, name: user.display_name, link, validSeconds });
}

const audit = (tx: Tx, ctx: Ctx, userId: string, action: string, after: Record<string, unknown>) =>
  recordAudit(tx, ctx, { action, entityType: "user", entityId: userId, after });

/**
 * Self sign-up of a policyholder whose household is known by this address (`party`, looked up by
 * the caller). Creates an unverified login and mails the verification link. An address that
 * already has a login gets a mail saying so (with a reset link); an unknown one gets nothing.
 */
export async function signUp(
  tx: Tx,
  ctx: Ctx,
  input: {
    email: string;
    password: string;
    party: { id: string; name: string; language: Language } | null;
    links: LinkSettings;
  },
): Promise<AccountMail | null> {
  const email = input.email.trim().toLowerCase();
  checkPassword(input.password, email);
  // Hashed on every path, so the answer's timing does not tell which path was taken.
  const passwordHash = await hashPassword(input.password);
  const existing = await findUserByEmail(tx, email);
  if (existing) {
    if (existing.disabled_at !== null) return null;
    await audit(tx, ctx, existing.id, "user.sign_up_for_existing", {});
    const language = input.party?.language ?? "nl";
    return mailWithLink(tx, ctx, existing, "already_registered", language, input.links);
  }
  if (!input.party) return null;
  if ((await partyUserRows(tx, input.party.id)).length > 0) return null;
  const user = await insertUser(tx, {
    email,
    passwordHash,
    role: "policyholder",
    partyId: input.party.id,
    displayName: input.party.name,
    now: ctx.now,
    verifiedAt: null,
  });
  await audit(tx, ctx, user.id, "user.created", { role: user.role, partyId: user.party_id, how: "sign_up" });
  return mailWithLink(tx, ctx, user, "verify_email", input.party.language, input.links);
}

function invalidLink(): AppError {
  return new AppError("account_link_invalid", "this link is unknown, used or expired; ask for a new one");
}

/** Spends a link and locks its user; a disabled user's links are refused. */
async function spend(tx: Tx, ctx: Ctx, token: string, purposes: readonly LinkPurpose[]) {
  const link = await spendLink(tx, tokenHash(token), purposes, ctx.now);
  const user = link ? await lockUser(tx, link.user_id) : undefined;
  if (!link || !user || user.disabled_at !== null) throw invalidLink();
  return { user, purpose: link.purpose };
}

/** The verification link of a sign-up: the address is proven, the login may log in. */
export async function verifyEmail(tx: Tx, ctx: Ctx, input: { token: string }): Promise<{ userId: string }> {
  const { user } = await spend(tx, ctx, input.token, ["verify_email"]);
  if (await setVerified(tx, user.id, ctx.now)) await audit(tx, ctx, user.id, "user.email_verified", {});
  return { userId: user.id };
}

/** Mails a reset link to an address that has a login that is not disabled; else nothing. */
export async function requestPasswordReset(
  tx: Tx,
  ctx: Ctx,
  input: { email: string; language: Language; links: LinkSettings },
): Promise<AccountMail | null> {
  const user = await findUserByEmail(tx, input.email);
  if (!user || user.disabled_at !== null) return null;
  await audit(tx, ctx, user.id, "user.password_reset_requested", {});
  return mailWithLink(tx, ctx, user, "reset_password", input.language, input.links);
}

/**
 * A reset or invitation link with the new password: the password is set (and the address thereby
 * proven), every session of the login ends and every other open link is spent. A refused
 * password spends nothing: the error rolls the transaction back and the link still works.
 */
export async function setPasswordWithLink(
  tx: Tx,
  ctx: Ctx,
  input: { token: string; password: string },
): Promise<{ userId: string }> {
  const { user, purpose } = await spend(tx, ctx, input.token, ["reset_password", "invitation"]);
  checkPassword(input.password, user.email);
  await setPassword(tx, user.id, await hashPassword(input.password), ctx.now);
  const sessions = await deleteUserSessions(tx, [user.id]);
  await spendUserLinks(tx, [user.id], ctx.now);
  forgetUserPrincipals(user.id);
  await audit(tx, ctx, user.id, "user.password_set", { how: purpose, sessionsEnded: sessions });
  return { userId: user.id };
}

/**
 * A login created by staff, without a password: the invitation mail's link lets its owner choose
 * one. Staff roles get no party; a policyholder login belongs to its household (`partyId`).
 */
export async function inviteUser(
  tx: Tx,
  ctx: Ctx,
  input: {
    email: string;
    role: Role;
    displayName: string;
    partyId: string | null;
    language: Language;
    links: LinkSettings;
  },
): Promise<{ user: UserRow; mail: AccountMail }> {
  const email = input.email.trim().toLowerCase();
  if (isStaff(input.role) === (input.partyId !== null))
    throw new ValidationError([{ path: "role", message: "policyholders, and only they, have a party" }]);
  if (await findUserByEmail(tx, email))
    throw new AppError("conflict", "a user with this email exists", [{ path: "email", message: "taken" }]);
  if (input.partyId !== null && (await partyUserRows(tx, input.partyId)).length > 0)
    throw new AppError("conflict", "this household already has a login", [
      { path: "partyId", message: "has a login" },
    ]);
  const user = await insertUser(tx, {
    email,
    passwordHash: NO_PASSWORD,
    role: input.role,
    partyId: input.partyId,
    displayName: input.displayName,
    now: ctx.now,
    verifiedAt: null,
  });
  await audit(tx, ctx, user.id, "user.created", {
    role: user.role,
    partyId: user.party_id,
    how: "invitation",
  });
  return { user, mail: await mailWithLink(tx, ctx, user, "invitation", input.language, input.links) };
}

export async function userOrThrow(tx: Tx, userId: string): Promise<UserRow> {
  const user = await lockUser(tx, userId);
  if (!user) throw new NotFoundError("user", userId);
  return user;
}
