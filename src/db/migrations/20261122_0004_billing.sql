-- Premium billing and the double-entry ledger.
-- Invoices are the receivable subledger (one row per policy per installment period); the general
-- ledger receives summary entries per billing chunk plus one entry per adjustment, so a run over
-- hundreds of thousands of policies writes a handful of journal rows per chunk, not per invoice.
-- Runs unchanged on PostgreSQL 15 and PGlite.

create table ledger_accounts (
  code text primary key,
  name text not null,
  kind text not null check (kind in ('asset', 'liability', 'income', 'expense'))
);
insert into ledger_accounts (code, name, kind) values
  ('premium_receivable', 'Premium receivable', 'asset'),
  ('bank', 'Bank', 'asset'),
  ('premium_income', 'Premium income', 'income'),
  ('surcharge_income', 'Installment surcharge income', 'income'),
  ('claims_expense', 'Claims expense', 'expense'),
  ('claims_payable', 'Claims payable', 'liability'),
  ('refunds_payable', 'Refunds payable', 'liability');

create table journal_entries (
  id bigint generated always as identity primary key,
  posted_on date not null,
  kind text not null,
  -- Idempotency key of whatever posted the entry ("billing:<run>:<chunk>:issued", "adjustment:<id>"):
  -- a replayed step can't post twice.
  source text not null unique,
  policy_id uuid,
  description text not null,
  created_at timestamptz not null
);
create index journal_entries_posted_idx on journal_entries (posted_on);

-- Debits positive, credits negative: an entry balances when its lines sum to zero.
create table journal_lines (
  entry_id bigint not null references journal_entries(id),
  line_no smallint not null,
  account text not null references ledger_accounts(code),
  amount_cents bigint not null check (amount_cents <> 0),
  primary key (entry_id, line_no)
);

-- Running balances, updated in the posting transaction; `ledger check` rebuilds them from lines.
create table ledger_balances (
  account text primary key references ledger_accounts(code),
  balance_cents bigint not null,
  updated_at timestamptz not null
);

-- One billing run per run date: re-running a date resumes or repeats it, never bills twice.
create table billing_runs (
  id bigint generated always as identity primary key,
  run_date date not null unique,
  chunk_size integer not null check (chunk_size > 0),
  chunks integer,
  started_at timestamptz not null,
  planned_at timestamptz,
  finished_at timestamptz
);

-- Policy id ranges [lo, hi) (null = open end); a chunk is done when its transaction committed.
-- What a chunk invoiced is kept with it, so a run's totals are a sum over its chunks, not a scan
-- of every invoice ever issued (invoices has no index on run_id, and needs none).
create table billing_run_chunks (
  run_id bigint not null references billing_runs(id),
  chunk_no integer not null,
  lo uuid,
  hi uuid,
  done_at timestamptz,
  invoices integer,
  amount_cents bigint,
  -- Direct-debit invoices issued without an active mandate (invoiced, in no file).
  without_mandate integer,
  primary key (run_id, chunk_no)
);

-- A bank file: a pain.008 per run and collection date; part 2 adds credit transfers (pain.001)
-- and moves the status on as the bank reports (pain.002 / camt.054).
create table payment_batches (
  id bigint generated always as identity primary key,
  kind text not null check (kind in ('direct_debit', 'credit_transfer')),
  run_id bigint references billing_runs(id),
  collection_date date not null,
  message_id text not null unique check (length(message_id) <= 30),
  status text not null default 'open' check (status in ('open', 'written', 'submitted', 'settled')),
  file_name text,
  transactions integer,
  total_cents bigint,
  created_at timestamptz not null,
  written_at timestamptz,
  unique (run_id, kind, collection_date)
);

-- The installment schedule as sent to the policyholder for a policy year: a pre-notification
-- that lets a collection fall less than the notice period after the invoice.
create table billing_schedule_notices (
  policy_id uuid not null references policies(id),
  year_start date not null,
  notified_on date not null,
  installments jsonb not null,
  created_at timestamptz not null,
  primary key (policy_id, year_start)
);

-- Exactly one invoice per policy per installment period: the primary key is the guarantee that
-- two runs, or two workers, can never bill the same period twice.
-- No foreign keys on policy_id, run_id, mandate_id and batch_id: the billing run inserts a million
-- rows a month, and four per-row constraint checks cost more than the inserts themselves. Integrity
-- holds by construction: the run inserts only from the policies and mandates it reads in the same
-- statement and the run and batches it created before; none of those rows is ever deleted.
create table invoices (
  policy_id uuid not null,
  period_start date not null,
  period_end date not null,
  -- The EndToEndId of the collection; bank returns (part 2) are matched by it.
  reference text not null unique check (length(reference) <= 35),
  run_id bigint,
  issued_on date not null,
  due_date date not null,
  household text not null,
  payment_method text not null,
  premium_cents bigint not null check (premium_cents >= 0),
  surcharge_cents bigint not null check (surcharge_cents >= 0),
  amount_cents bigint not null check (amount_cents = premium_cents + surcharge_cents),
  collection_date date,
  mandate_id uuid,
  sequence_type text check (sequence_type in ('FRST', 'RCUR', 'OOFF', 'FNAL')),
  batch_id bigint,
  status text not null default 'open' check (status in ('open', 'paid', 'returned', 'cancelled')),
  paid_cents bigint not null default 0 check (paid_cents >= 0),
  settled_on date,
  returned_on date,
  return_reason text,
  created_at timestamptz not null,
  primary key (policy_id, period_start),
  check (period_end > period_start),
  check ((mandate_id is null) = (sequence_type is null))
);
-- A pain.008 lists its batch's debits by sequence type, then policy and period: the file is written
-- by walking this index page by page, whatever the table holds of earlier months.
create index invoices_batch_idx on invoices (batch_id, sequence_type, policy_id, period_start)
  where batch_id is not null;

-- Pro-rata corrections of an invoiced period after a household change or a cancellation.
-- Signed: positive = the policyholder owes more (charge), negative = credit note on an open
-- invoice or refund of a paid one (refunds payable, paid out by pain.001 in part 2).
create table billing_adjustments (
  id bigint generated always as identity primary key,
  policy_id uuid not null,
  period_start date not null,
  kind text not null check (kind in ('charge', 'credit_note', 'refund')),
  reason text not null check (reason in ('household_change', 'cancellation')),
  effective_date date not null,
  premium_cents bigint not null,
  surcharge_cents bigint not null,
  amount_cents bigint not null check (amount_cents = premium_cents + surcharge_cents and amount_cents <> 0),
  created_on date not null,
  refund_batch_id bigint references payment_batches(id),
  refunded_on date,
  created_at timestamptz not null,
  foreign key (policy_id, period_start) references invoices(policy_id, period_start)
);
create index billing_adjustments_policy_idx on billing_adjustments (policy_id, period_start);
