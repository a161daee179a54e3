-- Documents (issue 13): every letter and policy schedule rendered as PDF, stored once with its
-- content in words (the renderer's exact input) and the sha256 of the bytes, so a letter can be
-- reproduced and checked from the database alone. The IPID is rendered from the product
-- definition on demand and not stored.
create table documents (
  id uuid primary key default gen_random_uuid(),
  kind text not null check (kind in ('schedule', 'claim_decision', 'premium_reminder', 'formal_notice',
    'charge_pre_notification', 'charge_payment_request', 'refund_notice', 'cancellation_confirmation')),
  -- What the document is of, e.g. 'claim_decision:<claim id>:<sequence>': one document per source.
  source_key text not null unique,
  policy_id uuid not null references policies(id),
  party_id uuid not null references parties(id),
  claim_id uuid references claims(id),
  language text not null check (language in ('nl', 'fr', 'en')),
  subject text not null,
  content jsonb not null,
  -- Null once the party's personal data is erased; the hash stays as proof of what was sent.
  pdf bytea,
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  pages integer not null check (pages > 0),
  created_at timestamptz not null,
  erased_at timestamptz
);
create index documents_policy_idx on documents (policy_id, created_at);
create index documents_claim_idx on documents (claim_id) where claim_id is not null;

-- The e-mail outbox: one row per document and recipient, sent after commit by the
-- documents_send job. Retries with exponential backoff live in the row (attempts,
-- next_attempt_at, last_error); a sender claims the row ('sending', with a lease) before it talks
-- to the SMTP server, so two senders never send the same letter.
create table document_deliveries (
  id bigint generated always as identity primary key,
  document_id uuid not null references documents(id),
  recipient text not null,
  status text not null default 'pending'
    check (status in ('pending', 'sending', 'sent', 'refused', 'failed')),
  attempts integer not null default 0 check (attempts >= 0),
  next_attempt_at timestamptz not null,
  lease_until timestamptz,
  last_error text,
  -- The Message-ID the SMTP server accepted: a letter is sent at most once per recipient.
  message_id text,
  sent_at timestamptz,
  created_at timestamptz not null,
  unique (document_id, recipient),
  check (status <> 'sent' or message_id is not null),
  check (status <> 'sending' or lease_until is not null)
);
create index document_deliveries_due_idx on document_deliveries (next_attempt_at) where status = 'pending';
create index document_deliveries_sending_idx on document_deliveries (lease_until) where status = 'sending';
