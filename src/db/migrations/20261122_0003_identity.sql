-- Identity: users with roles (policyholders link to their party; staff have none), portal sessions,
-- API tokens, and the stored responses of idempotent POSTs. Secrets are stored only as SHA-256
-- hashes of random tokens, so a database dump does not hand out sessions or tokens.

create table users (
  id uuid primary key default gen_random_uuid(),
  email text not null,
  password_hash text not null,
  role text not null check (role in ('policyholder', 'helpline_agent', 'claims_handler', 'finance', 'admin')),
  party_id uuid references parties(id),
  display_name text not null,
  created_at timestamptz not null,
  disabled_at timestamptz,
  check ((role = 'policyholder') = (party_id is not null))
);
create unique index users_email_idx on users (lower(email));
create index users_party_idx on users (party_id);

create table sessions (
  token_hash text primary key,
  user_id uuid not null references users(id),
  csrf_token text not null,
  created_at timestamptz not null,
  expires_at timestamptz not null
);
create index sessions_user_idx on sessions (user_id);

create table api_tokens (
  id uuid primary key default gen_random_uuid(),
  token_hash text not null unique,
  user_id uuid not null references users(id),
  label text not null,
  created_at timestamptz not null,
  expires_at timestamptz,
  revoked_at timestamptz
);
create index api_tokens_user_idx on api_tokens (user_id);

-- One row per (caller, key): the first request's fingerprint and response. The primary key makes
-- a concurrent retry wait for the first transaction and then replay its committed response.
create table idempotency_keys (
  principal text not null,
  key text not null,
  request_hash text not null,
  status_code integer,
  response jsonb,
  created_at timestamptz not null,
  primary key (principal, key)
);
create index idempotency_keys_created_idx on idempotency_keys (created_at);
