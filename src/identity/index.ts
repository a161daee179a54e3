/** The identity module's public surface: code outside src/identity/ imports only from here. */
export {
  inviteUser,
  type LinkSettings,
  requestPasswordReset,
  setPasswordWithLink,
  signUp,
  verifyEmail,
} from "./accounts.ts";
export { changeRole, disableUser, enableUser } from "./admin.ts";
export {
  type ApiTokenView,
  createApiToken,
  listApiTokens,
  revokeApiToken,
  revokePresentedToken,
} from "./api-tokens.ts";
export { eraseIdentityPartyData, partyUsers } from "./erase.ts";
export { DEFAULT_LOGIN_BACKOFF, type LoginBackoff } from "./login-backoff.ts";
export { accountMail, maskEmail } from "./mails.ts";
export * from "./model.ts";
export { MIN_PASSWORD_LENGTH, passwordProblem } from "./password-policy.ts";
export {
  checkPassword,
  createUser,
  forgetUserPrincipals,
  type LoginOutcome,
  login,
  logout,
  type NewUser,
  resolveApiToken,
  resolveSession,
} from "./service.ts";
export type { UserRow } from "./store/index.ts";
export { anyUserExists, countUsers, findUser, listUsers, userExists } from "./store/index.ts";
export type { IdentityTables } from "./tables.ts";
export { DEFAULT_TOKEN_LIFETIME, type TokenLifetime } from "./token-lifetime.ts";
