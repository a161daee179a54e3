-- API tokens that can be listed and revoked, and a login limit per account that survives restarts.

-- Every token expires. Tokens created without a lifetime get the longest one a new token may have
-- (365 days) from their creation, but never less than 90 days from now, so no client that relied
-- on a never-expiring token loses access without notice.
update api_tokens
   set expires_at = greatest(created_at + interval '365 days', now() + interval '90 days')
 where expires_at is null;
alter table api_tokens alter column expires_at set not null;
-- When the token was last presented, to the minute (written at most once a minute per token).
alter table api_tokens add column last_used_at timestamptz;

-- Consecutive failed logins per e-mail address, whether or not an account has that address (so
-- the limit itself reveals nothing). The key is the SHA-256 of the trimmed, lower-cased address,
-- so the table holds no address in clear. A successful login deletes the row.
create table login_failures (
  email_hash text primary key,
  failures integer not null check (failures >= 0),
  last_failed_at timestamptz not null
);
create index login_failures_last_failed_idx on login_failures (last_failed_at);
