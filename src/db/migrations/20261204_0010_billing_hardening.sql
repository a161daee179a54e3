-- Issue 10, items 1 and 2.

-- A direct debit a billing run could not put into its pain.008 (a mandate the bank file can't
-- carry: registered before the bank rule was enforced, or changed since), with the writer's reason.
-- The invoice leaves its batch (batch_id null, so it is neither in the file nor settled with it)
-- and its premium is requested by letter; finance works the queue (`billing set-aside`).
create table billing_set_aside (
  id bigint generated always as identity primary key,
  run_id bigint not null references billing_runs(id),
  policy_id uuid not null,
  period_start date not null,
  reference text not null,
  amount_cents bigint not null check (amount_cents > 0),
  mandate_id uuid references sepa_mandates(id),
  -- The batch the debit was billed into and the reasons the writer gave, field by field.
  batch_id bigint references payment_batches(id),
  reason text not null,
  set_aside_on date not null,
  created_at timestamptz not null,
  resolved_at timestamptz,
  unique (policy_id, period_start),
  foreign key (policy_id, period_start) references invoices(policy_id, period_start)
);
create index billing_set_aside_open_idx on billing_set_aside (created_at) where resolved_at is null;

-- The payment request letter of a set-aside debit.
alter table premium_letters add column set_aside_id bigint unique references billing_set_aside(id);
alter table premium_letters drop constraint premium_letters_subject_check;
alter table premium_letters add constraint premium_letters_subject_check
  check (reminder_id is not null or adjustment_id is not null or set_aside_id is not null);

-- When the invocation now holding the run's lock started (the run's started_at is its first
-- invocation's): a second invocation's refusal names it.
alter table billing_runs add column invoked_at timestamptz;
