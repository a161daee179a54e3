import type { ColumnType, Generated } from "kysely";
import type { Json } from "../db/schema.ts";
import type { LinkPurpose } from "./model.ts";
import type { Role } from "./roles.ts";

type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface UsersTable {
  id: Generated<string>;
  email: string;
  password_hash: string;
  role: Role;
  /** Set for policyholders (their household), null for staff. */
  party_id: string | null;
  display_name: string;
  created_at: Timestamp;
  disabled_at: Timestamp | null;
  /** When the owner proved the address (a verification or invitation link); null: not yet. */
  email_verified_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface SessionsTable {
  /** SHA-256 of the cookie's random token; the token itself is never stored. */
  token_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface ApiTokensTable {
  id: Generated<string>;
  token_hash: string;
  user_id: string;
  label: string;
  created_at: Timestamp;
  /** Every token expires (default and maximum lifetime: src/identity/token-lifetime.ts). */
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  /** To the minute: written at most once a minute per token. */
  last_used_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** Consecutive failed logins per e-mail address (known or not); deleted by a successful login. */
export interface LoginFailuresTable {
  /** SHA-256 of the trimmed, lower-cased address: no address is stored in clear. */
  email_hash: string;
  failures: number;
  last_failed_at: Timestamp;
}

/** The links of account e-mails (migration 20261206_0022): single-use, expiring. */
export interface AccountLinksTable {
  /** SHA-256 of the link's random token; the token itself is only in the e-mail. */
  token_hash: string;
  user_id: string;
  purpose: LinkPurpose;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface IdempotencyKeysTable {
  principal: string;
  key: string;
  request_hash: string;
  status_code: number | null;
  response: Json<unknown> | null;
  created_at: Timestamp;
}

/** The identity module's tables, merged into the `Database` interface of src/db/schema.ts. */
export interface IdentityTables {
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  login_failures: LoginFailuresTable;
  account_links: AccountLinksTable;
  idempotency_keys: IdempotencyKeysTable;
}
