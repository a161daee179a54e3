/**
 * The identity module's types: roles, the caller (Principal), accounts and the links of account
 * e-mails. No I/O here.
 */
export { ALL_ROLES, isStaff, ROLES, type Role, STAFF_ROLES } from "./roles.ts";

import type { Role } from "./roles.ts";

/** Who is calling: resolved from a session cookie or a bearer token on every request. */
export interface Principal {
  userId: string;
  role: Role;
  /** The policyholder's household (party); null for staff. */
  partyId: string | null;
  email: string;
  displayName: string;
  via: "session" | "token";
  /** Present for cookie sessions: unsafe requests must echo it in `X-CSRF-Token`. */
  csrfToken: string | null;
}

/** What a link in an account e-mail lets its holder do, once. */
export const LINK_PURPOSES = ["verify_email", "reset_password", "invitation"] as const;
export type LinkPurpose = (typeof LINK_PURPOSES)[number];

/**
 * How long a link works. A reset link is short-lived (whoever reads the mailbox later must not
 * take over the account); a verification or invitation waits for someone to read their mail.
 */
export interface LinkLifetimes {
  verify_email: number;
  reset_password: number;
  invitation: number;
}

export const DEFAULT_LINK_LIFETIMES: LinkLifetimes = {
  verify_email: 48 * 3600,
  reset_password: 3600,
  invitation: 7 * 86_400,
};

/**
 * A stored password hash that no password verifies (argon2 rejects it as malformed, which
 * `verifyPassword` reads as "wrong"): an invited login until its owner chooses a password.
 */
export const NO_PASSWORD = "!no-password";

/** The password hash of an erased login (GDPR): like NO_PASSWORD no password verifies it. */
export const ERASED_PASSWORD = "!erased";

/** An account as admins see it; derived `status` so clients need not combine the columns. */
export type AccountStatus = "invited" | "unverified" | "active" | "disabled";

export interface AccountColumns {
  password_hash: string;
  email_verified_at: Date | null;
  disabled_at: Date | null;
}

export function accountStatus(u: AccountColumns): AccountStatus {
  if (u.disabled_at !== null) return "disabled";
  if (u.password_hash === NO_PASSWORD) return "invited";
  if (u.email_verified_at === null) return "unverified";
  return "active";
}

/** The account e-mails, as plain data for whatever delivers mail (src/identity/mails.ts). */
export type AccountMailKind = "verify_email" | "reset_password" | "invitation" | "already_registered";

export interface AccountMail {
  kind: AccountMailKind;
  to: string;
  subject: string;
  text: string;
  /** The one link of the mail, also inside `text`; a logging mailer shows it apart. */
  link: string;
}

/** Hands a mail on (the outbox, SMTP, a log line). Called after the transaction committed. */
export type Mailer = (mail: AccountMail) => Promise<void>;
