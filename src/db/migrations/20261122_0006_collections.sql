-- Collections: bank files read back (pain.002, camt.054), premium default letters, payouts (pain.001).
-- Runs unchanged on PostgreSQL 15 and PGlite.

-- Every bank file applied, by content hash and by message id: importing a file a second time (the
-- same bytes, or the bank re-sending the same message) finds it here and changes nothing.
create table bank_imports (
  id bigint generated always as identity primary key,
  sha256 text not null unique check (length(sha256) = 64),
  file_type text not null,
  message_id text not null,
  file_name text,
  imported_at timestamptz not null,
  summary jsonb not null,
  unique (file_type, message_id)
);

-- The reminder (NL) or formal notice (BE) that dunning records for an invoice: one per invoice, so
-- a second dunning run over the same date finds nothing left to remind.
alter table premium_reminders add column invoice_period_start date;
alter table premium_reminders
  add constraint premium_reminders_invoice_fk
  foreign key (policy_id, invoice_period_start) references invoices(policy_id, period_start);
create unique index premium_reminders_invoice_idx
  on premium_reminders (policy_id, invoice_period_start) where invoice_period_start is not null;

-- Outbox of letters to policyholders: written in the dunning transaction, sent after commit by
-- whatever delivers mail (sent_at marks delivery). The body is the full Dutch text.
create table premium_letters (
  id uuid primary key default gen_random_uuid(),
  policy_id uuid not null references policies(id),
  reminder_id uuid not null unique references premium_reminders(id),
  kind text not null check (kind in ('reminder', 'formal_notice')),
  language text not null,
  recipient text not null,
  subject text not null,
  body text not null,
  letter_date date not null,
  suspension_from date not null,
  created_at timestamptz not null,
  sent_at timestamptz
);
create index premium_letters_unsent_idx on premium_letters (created_at) where sent_at is null;

-- An account a policyholder gave for payouts; without one the active mandate's IBAN is used.
create table payout_accounts (
  policy_id uuid primary key references policies(id),
  account_holder text not null,
  iban text not null,
  bic text,
  created_at timestamptz not null
);

-- Money the insurer owes and pays by SEPA credit transfer: a claim payout (one row per approved
-- amount not yet covered by earlier rows) or a premium refund (one row per refund adjustment).
create table payouts (
  id bigint generated always as identity primary key,
  policy_id uuid not null references policies(id),
  kind text not null check (kind in ('claim', 'refund')),
  claim_id uuid references claims(id),
  claim_decision integer,
  adjustment_id bigint unique references billing_adjustments(id),
  amount_cents bigint not null check (amount_cents > 0),
  -- EndToEndId of the transfer: the bank reports the execution or rejection by it.
  end_to_end_id text not null unique check (length(end_to_end_id) <= 35),
  accrued_on date not null,
  status text not null default 'pending' check (status in ('pending', 'exported', 'executed', 'rejected')),
  payee_name text,
  iban text,
  bic text,
  batch_id bigint references payment_batches(id),
  executed_on date,
  reject_reason text,
  created_at timestamptz not null,
  check ((kind = 'claim') = (claim_id is not null)),
  check ((kind = 'refund') = (adjustment_id is not null)),
  unique (claim_id, claim_decision)
);
create index payouts_policy_idx on payouts (policy_id);
create index payouts_pending_idx on payouts (status) where status = 'pending';
