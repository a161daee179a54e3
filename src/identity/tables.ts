import type { ColumnType, Generated } from "kysely";
import type { Json } from "../db/schema.ts";
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
  expires_at: Timestamp | null;
  revoked_at: Timestamp | null;
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
  idempotency_keys: IdempotencyKeysTable;
}
