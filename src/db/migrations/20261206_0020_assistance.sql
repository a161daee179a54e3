-- Issue 12: the 24/7 helpline (cases, notes, status history, referrals, breaches and their
-- escalation), ransom consent, content removal, and the online risk tool. Every row carries
-- `policy_id` (risk assessments their party) so erasure and access follow the policy. The due
-- instants are stored on the case (computed by src/assistance/sla.ts when the case is opened,
-- its priority changes or it leaves waiting_for_customer) so the breach sweep is one indexed scan.

alter table users drop constraint users_role_check;
alter table users add constraint users_role_check check (role in
  ('policyholder', 'helpline_agent', 'helpline_supervisor', 'claims_handler', 'finance', 'admin'));

create sequence assistance_case_number_seq;

create table assistance_cases (
  id uuid primary key default gen_random_uuid(),
  number text not null unique,
  policy_id uuid not null references policies(id),
  -- the opener's own reference (a scenario's id); unique per policy
  reference text,
  opened_at timestamptz not null,
  channel text not null check (channel in ('phone', 'chat', 'portal', 'email')),
  category text not null,
  ongoing boolean not null,
  help_kinds jsonb not null default '[]',
  priority text not null check (priority in ('urgent', 'high', 'normal')),
  priority_reason text,
  status text not null check (status in ('open', 'in_progress', 'waiting_for_customer', 'resolved')),
  entitled boolean not null,
  entitlement_reason text check (entitlement_reason in ('not_in_force', 'cover_suspended')),
  first_response_due timestamptz not null,
  -- the resolution due instant without the current wait (a wait in progress adds to it on return)
  resolution_due timestamptz not null,
  -- from when each target is at risk (the resolution's without the current wait)
  first_response_risk_at timestamptz not null,
  resolution_risk_at timestamptz not null,
  -- the due instant the queue sorts by: the first response's until it is given, then the resolution's
  next_due timestamptz not null,
  waiting_since timestamptz,
  paused_ms bigint not null default 0,
  first_response_at timestamptz,
  resolved_at timestamptz,
  -- set when an item came back unanswered (content removal); cleared when an agent acts
  attention_since timestamptz,
  claim_id uuid references claims(id),
  opened_by text not null,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  version int not null default 1,
  check ((entitled and entitlement_reason is null) or (not entitled and entitlement_reason is not null)),
  check ((status = 'waiting_for_customer') = (waiting_since is not null))
);
create unique index assistance_cases_reference_idx on assistance_cases (policy_id, reference) where reference is not null;
create index assistance_cases_policy_idx on assistance_cases (policy_id);
create unique index assistance_cases_claim_idx on assistance_cases (claim_id) where claim_id is not null;
-- the sweep's two scans and the queue's sort
create index assistance_cases_first_due_idx on assistance_cases (first_response_due)
  where first_response_at is null and status <> 'resolved';
create index assistance_cases_resolution_due_idx on assistance_cases (resolution_due)
  where status in ('open', 'in_progress');
create index assistance_cases_queue_idx on assistance_cases (next_due) where (status <> 'resolved' or attention_since is not null);
create index assistance_cases_queue_status_idx on assistance_cases (status, next_due);

-- append-only: never updated (erasure aside)
create table assistance_notes (
  id bigserial primary key,
  case_id uuid not null references assistance_cases(id),
  policy_id uuid not null references policies(id),
  author text not null,
  author_role text not null,
  at timestamptz not null,
  body text not null,
  is_response boolean not null default false
);
create index assistance_notes_case_idx on assistance_notes (case_id, id);

create table assistance_status_changes (
  id bigserial primary key,
  case_id uuid not null references assistance_cases(id),
  policy_id uuid not null references policies(id),
  from_status text,
  to_status text not null,
  -- the case version this change produced: unique, so two writers can't both move one version
  version int not null,
  reason text,
  actor text not null,
  at timestamptz not null,
  unique (case_id, version)
);

create table assistance_priority_changes (
  id bigserial primary key,
  case_id uuid not null references assistance_cases(id),
  policy_id uuid not null references policies(id),
  from_priority text not null,
  to_priority text not null,
  reason text not null,
  actor text not null,
  at timestamptz not null
);

create table assistance_referrals (
  id bigserial primary key,
  case_id uuid not null references assistance_cases(id),
  policy_id uuid not null references policies(id),
  referred_to text not null,
  advised_on date not null,
  actor text not null,
  at timestamptz not null
);
create index assistance_referrals_case_idx on assistance_referrals (case_id);

-- one row per missed target, ever: the unique key makes the sweep idempotent
create table assistance_breaches (
  id bigserial primary key,
  case_id uuid not null references assistance_cases(id),
  policy_id uuid not null references policies(id),
  target text not null check (target in ('first_response', 'resolution')),
  due_at timestamptz not null,
  recorded_at timestamptz not null,
  escalated_to text not null default 'helpline_supervisor',
  acknowledged_by text,
  acknowledged_at timestamptz,
  unique (case_id, target)
);
create index assistance_breaches_open_idx on assistance_breaches (recorded_at) where acknowledged_at is null;

create table ransom_consents (
  id uuid primary key default gen_random_uuid(),
  case_id uuid not null references assistance_cases(id),
  policy_id uuid not null references policies(id),
  given_at timestamptz not null,
  -- the consent's day in the product's time zone
  given_on date not null,
  given_by text not null,
  -- the staff member's name as the decision's explanation shows it
  given_by_name text not null,
  max_cents bigint not null check (max_cents > 0)
);
create index ransom_consents_policy_idx on ransom_consents (policy_id, given_on);

create table content_removals (
  id uuid primary key default gen_random_uuid(),
  case_id uuid not null references assistance_cases(id),
  policy_id uuid not null references policies(id),
  platform text not null,
  url text not null check (url ~* '^https?://'),
  content_type text not null check (content_type in ('photo', 'video', 'text', 'profile')),
  ground text not null check (ground in ('defamation', 'intimate_image', 'harassment', 'impersonation', 'personal_data')),
  status text not null check (status in ('requested', 'notice_sent', 'removed', 'refused', 'no_response')),
  language text not null check (language in ('nl', 'fr', 'en')),
  explanation text not null,
  notice_text text,
  notice_sent_at timestamptz,
  answered_at timestamptz,
  no_response_at timestamptz,
  created_by text not null,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  version int not null default 1
);
create index content_removals_case_idx on content_removals (case_id);
create index content_removals_waiting_idx on content_removals (notice_sent_at) where status = 'notice_sent';

-- answers are never updated: a new take is a new row
create table risk_assessments (
  id uuid primary key default gen_random_uuid(),
  party_id uuid not null references parties(id),
  questionnaire_version int not null,
  answers jsonb not null,
  area_scores jsonb not null,
  overall int not null check (overall between 0 and 100),
  level text not null check (level in ('good', 'fair', 'at_risk')),
  taken_at timestamptz not null,
  actor text not null
);
create index risk_assessments_party_idx on risk_assessments (party_id, taken_at);

-- a ransom line's payment date (service-rules.md, "Ransom consent")
alter table claim_lines add column paid_on date;
