/**
 * The identity module's store: the only code that reads or writes `users`, `sessions`,
 * `api_tokens`, `login_failures` and `account_links`. Each file states its locking rules; every
 * status change (disabled, verified, revoked, a link spent) is a compare-and-set UPDATE.
 */
export * from "./api-tokens.ts";
export * from "./links.ts";
export * from "./login-failures.ts";
export * from "./sessions.ts";
export * from "./users.ts";
