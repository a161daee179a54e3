-- Claims handling by staff: evidence files, handler overrides (with four-eyes approval above a
-- threshold) and referrals to a handler. Runs unchanged on PostgreSQL 15 and PGlite.

-- Evidence is stored in the database, in the transaction that records it, so a failed request
-- leaves neither a row without a file nor a file without a row. The content is nulled when the
-- policyholder's personal data is erased; the metadata and hash stay as the claim's record.
create table claim_evidence (
  id uuid primary key default gen_random_uuid(),
  claim_id uuid not null references claims(id),
  policy_id uuid not null references policies(id),
  kind text not null check (kind in ('police_report', 'bank_refusal_letter', 'invoice', 'screenshot', 'other')),
  file_name text not null check (length(file_name) between 1 and 200),
  content_type text not null,
  size_bytes integer not null check (size_bytes > 0),
  sha256 text not null,
  content bytea,
  uploaded_by text not null,
  uploaded_at timestamptz not null,
  erased_at timestamptz,
  -- The same file uploaded twice (a retried request) is one piece of evidence.
  unique (claim_id, sha256)
);
create index claim_evidence_policy_idx on claim_evidence (policy_id);

-- A handler's override of a claim's decision. Above the four-eyes threshold it waits as
-- `pending` until a different handler approves (it then becomes a claim_decisions row) or rejects it.
create table claim_overrides (
  id uuid primary key default gen_random_uuid(),
  claim_id uuid not null references claims(id),
  policy_id uuid not null references policies(id),
  outcome text not null check (outcome in ('approved', 'denied')),
  payout_cents bigint not null check (payout_cents >= 0),
  reason_text text not null check (length(reason_text) >= 10),
  status text not null check (status in ('pending', 'applied', 'rejected')),
  requested_by text not null,
  requested_at timestamptz not null,
  reviewed_by text,
  reviewed_at timestamptz,
  review_note text,
  decision_sequence integer,
  check (outcome = 'approved' or payout_cents = 0),
  check ((status = 'pending') = (reviewed_at is null))
);
create index claim_overrides_claim_idx on claim_overrides (claim_id);
-- At most one override waits per claim, so two approvals can't race each other.
create unique index claim_overrides_pending_idx on claim_overrides (claim_id) where status = 'pending';

-- Why a claim went to a handler; the claim's status says it is `referred`.
create table claim_referrals (
  id uuid primary key default gen_random_uuid(),
  claim_id uuid not null references claims(id),
  policy_id uuid not null references policies(id),
  reason_text text not null,
  previous_status text not null,
  referred_by text not null,
  referred_at timestamptz not null
);
create index claim_referrals_claim_idx on claim_referrals (claim_id);
