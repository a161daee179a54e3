/** The identity module's public surface: logins, sessions, API tokens and accounts. */
export * from "./model.ts";
export {
  checkPassword,
  createUser,
  forgetUserPrincipals,
  login,
  logout,
  resolveApiToken,
  resolveSession,
  type LoginOutcome,
  type NewUser,
} from "./service.ts";
export {
  type ApiTokenView,
  createApiToken,
  listApiTokens,
  revokeApiToken,
  revokePresentedToken,
} from "./api-tokens.ts";
export { anyUserExists, userExists } from "./store/index.ts";
export { eraseIdentityPartyData, partyUsers } from "./erase.ts";
export { passwordProblem, MIN_PASSWORD_LENGTH } from "./password-policy.ts";
