-- Foundation: parties, policies and their endorsements, claims with fact history and decisions,
-- limit usage per policy/section/policy year, premium reminders, payments and suspensions, audit log.
-- Runs unchanged on PostgreSQL 15 and PGlite.

create sequence policy_number_seq;
create sequence claim_number_seq;

create table parties (
  id uuid primary key default gen_random_uuid(),
  kind text not null default 'person' check (kind in ('person')),
  name text not null,
  email text,
  phone text,
  birth_date date,
  address jsonb,
  country text,
  created_at timestamptz not null,
  erased_at timestamptz
);

create table policies (
  id uuid primary key default gen_random_uuid(),
  number text not null unique,
  party_id uuid not null references parties(id),
  product_code text not null,
  product_version integer not null,
  household text not null,
  start_date date not null,
  payment_frequency text not null,
  payment_method text not null,
  end_date date,
  end_reason text check (end_reason in ('cancelled', 'terminated')),
  cancel_requested_on date,
  cancel_refund_cents bigint check (cancel_refund_cents >= 0),
  created_at timestamptz not null,
  updated_at timestamptz not null,
  version integer not null default 1,
  check (end_date is null or end_reason is not null)
);
create index policies_party_idx on policies (party_id);

create table policy_endorsements (
  id uuid primary key default gen_random_uuid(),
  policy_id uuid not null references policies(id),
  kind text not null check (kind in ('household')),
  effective_date date not null,
  household text not null,
  created_at timestamptz not null,
  unique (policy_id, kind, effective_date)
);

create table claims (
  id uuid primary key default gen_random_uuid(),
  policy_id uuid not null references policies(id),
  number text not null unique,
  reference text,
  peril text not null,
  section text,
  incident_date date not null,
  reported_date date not null,
  facts jsonb not null default '{}'::jsonb,
  status text not null check (status in ('new', 'needs_information', 'approved', 'denied', 'referred')),
  payout_cents bigint not null default 0 check (payout_cents >= 0),
  current_decision integer,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  version integer not null default 1,
  check (reported_date >= incident_date)
);
create index claims_policy_idx on claims (policy_id);
create unique index claims_policy_reference_idx on claims (policy_id, reference) where reference is not null;
create index claims_status_idx on claims (status);

create table claim_lines (
  claim_id uuid not null references claims(id),
  policy_id uuid not null references policies(id),
  line_no integer not null,
  kind text not null,
  amount_cents bigint not null check (amount_cents >= 0),
  description text,
  primary key (claim_id, line_no)
);

-- Every set of facts as supplied, so a decision can be replayed from stored data.
create table claim_facts (
  id bigint generated always as identity primary key,
  claim_id uuid not null references claims(id),
  policy_id uuid not null references policies(id),
  facts jsonb not null,
  supplied_on date not null,
  actor text not null,
  recorded_at timestamptz not null
);
create index claim_facts_claim_idx on claim_facts (claim_id);

create table claim_decisions (
  claim_id uuid not null references claims(id),
  sequence integer not null,
  policy_id uuid not null references policies(id),
  kind text not null check (kind in ('automatic', 'override')),
  outcome text not null check (outcome in ('approved', 'denied', 'needs_information', 'referred')),
  payout_cents bigint not null check (payout_cents >= 0),
  reasons jsonb not null,
  missing jsonb not null,
  lines jsonb not null,
  explanation jsonb not null,
  section text,
  policy_year_start date,
  product_code text not null,
  product_version integer not null,
  decided_on date not null,
  decided_at timestamptz not null,
  actor text not null,
  reason_text text,
  primary key (claim_id, sequence)
);
create index claim_decisions_policy_idx on claim_decisions (policy_id);

-- Amount approved per policy, section and policy year; updated under a row lock in the
-- transaction that takes the decision, so concurrent claims can't exceed a limit.
create table limit_usage (
  policy_id uuid not null references policies(id),
  section text not null,
  policy_year_start date not null,
  used_cents bigint not null default 0 check (used_cents >= 0),
  updated_at timestamptz not null,
  primary key (policy_id, section, policy_year_start)
);

create table premium_reminders (
  id uuid primary key default gen_random_uuid(),
  policy_id uuid not null references policies(id),
  notice_kind text not null check (notice_kind in ('reminder', 'formal_notice')),
  due_date date not null,
  reminder_date date not null,
  amount_cents bigint check (amount_cents >= 0),
  settled_on date,
  created_at timestamptz not null,
  check (reminder_date >= due_date)
);
create index premium_reminders_policy_idx on premium_reminders (policy_id);

create table premium_payments (
  id uuid primary key default gen_random_uuid(),
  policy_id uuid not null references policies(id),
  received_on date not null,
  amount_cents bigint check (amount_cents >= 0),
  reference text,
  created_at timestamptz not null
);
create index premium_payments_policy_idx on premium_payments (policy_id);

-- Periods without cover for unpaid premium; until_date is the last suspended day (null: ongoing).
create table premium_suspensions (
  id uuid primary key default gen_random_uuid(),
  policy_id uuid not null references policies(id),
  reminder_id uuid not null references premium_reminders(id),
  from_date date not null,
  until_date date,
  created_at timestamptz not null,
  unique (reminder_id),
  check (until_date is null or until_date >= from_date)
);
create index premium_suspensions_policy_idx on premium_suspensions (policy_id);

create table audit_log (
  id bigint generated always as identity primary key,
  at timestamptz not null,
  actor text not null,
  action text not null,
  entity_type text not null,
  entity_id text not null,
  policy_id uuid,
  before jsonb,
  after jsonb,
  request_id text
);
create index audit_log_entity_idx on audit_log (entity_type, entity_id);
create index audit_log_policy_idx on audit_log (policy_id);
