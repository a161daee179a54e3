/** The identity module's public surface: code outside src/identity/ imports only from here. */
export { eraseIdentityPartyData, partyUsers } from "./erase.ts";
export { DEFAULT_LOGIN_BACKOFF, type LoginBackoff } from "./login-backoff.ts";
export { ALL_ROLES, isStaff, type Role, STAFF_ROLES } from "./roles.ts";
export {
  type ApiTokenView,
  createApiToken,
  createUser,
  listApiTokens,
  login,
  logout,
  type Principal,
  resolveApiToken,
  resolveSession,
  revokeApiToken,
  revokePresentedToken,
  userExists,
} from "./service.ts";
export type { IdentityTables } from "./tables.ts";
export { DEFAULT_TOKEN_LIFETIME, type TokenLifetime } from "./token-lifetime.ts";
