-- Accounts (issue 14 item 2): self sign-up with e-mail verification, invitations and password
-- reset by single-use, expiring links.

-- When the owner of the address proved it (a verification or invitation link). Logins created
-- before this migration were made by staff or the demo and count as verified.
alter table users add column email_verified_at timestamptz;
update users set email_verified_at = created_at;

-- The links of account e-mails. Only the SHA-256 of the link's random token is stored, so a
-- database dump yields no usable link. A link is used once (used_at, set by a compare-and-set)
-- and expires; a newer link of the same purpose supersedes the older ones (they are marked used).
create table account_links (
  token_hash text primary key,
  user_id uuid not null references users(id),
  purpose text not null check (purpose in ('verify_email', 'reset_password', 'invitation')),
  created_at timestamptz not null,
  expires_at timestamptz not null,
  used_at timestamptz,
  check (expires_at > created_at)
);
create index account_links_user_idx on account_links (user_id, purpose);
create index account_links_expires_idx on account_links (expires_at);
