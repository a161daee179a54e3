-- Collections edge cases (billing README, "Part 2: collections"): payouts that fail and go out
-- again, payouts lowered after accrual, returned credit transfers, overpayments refunded, and
-- positive corrections (charges) collected on their own. Runs unchanged on PostgreSQL 15 and PGlite.

-- Money received that nobody owed us (an invoice paid twice, or paid too much): a liability until
-- it is paid back to the payer.
insert into ledger_accounts (code, name, kind) values ('overpayments', 'Te veel ontvangen', 'liability');

create table overpayments (
  id bigint generated always as identity primary key,
  policy_id uuid not null references policies(id),
  -- The invoice or charge reference the payer named.
  reference text not null,
  amount_cents bigint not null check (amount_cents > 0),
  -- From the camt.054 entry (RltdPties/Dbtr, DbtrAcct): the refund goes back where the money came from.
  payer_name text,
  payer_iban text,
  received_on date not null,
  bank_import_id bigint references bank_imports(id),
  -- Where in the bank file ("Ntfctn.Ntry[0].NtryDtls.TxDtls[0]"): one overpayment per transaction.
  source text not null unique,
  created_at timestamptz not null
);
create index overpayments_policy_idx on overpayments (policy_id);

-- Payouts: an overpayment refund is a third kind; a transfer returned by the payee's bank is
-- `returned`; a pending amount cancelled by a lowered claim is `cancelled`. `attempt` counts the
-- bank files a payout went out in: a rejected or returned payout goes out again under a new
-- EndToEndId (the old one stays in payout_attempts, so late reports about it are recognised).
alter table payouts drop constraint payouts_kind_check;
alter table payouts add constraint payouts_kind_check check (kind in ('claim', 'refund', 'overpayment'));
alter table payouts drop constraint payouts_status_check;
alter table payouts add constraint payouts_status_check
  check (status in ('pending', 'exported', 'executed', 'rejected', 'returned', 'cancelled'));
alter table payouts add column overpayment_id bigint unique references overpayments(id);
alter table payouts add constraint payouts_overpayment_check
  check ((kind = 'overpayment') = (overpayment_id is not null));
alter table payouts add column attempt integer not null default 1 check (attempt >= 1);
-- When the last attempt failed: an account-reason failure waits for an account set after it.
alter table payouts add column failed_at timestamptz;
create index payouts_failed_idx on payouts (status) where status in ('rejected', 'returned');

create table payout_attempts (
  payout_id bigint not null references payouts(id),
  attempt integer not null,
  end_to_end_id text not null unique check (length(end_to_end_id) <= 35),
  batch_id bigint references payment_batches(id),
  amount_cents bigint not null,
  outcome text not null check (outcome in ('rejected', 'returned')),
  reason text not null,
  failed_on date not null,
  created_at timestamptz not null,
  primary key (payout_id, attempt)
);

-- A charge (positive correction) is its own receivable item, collected by `billing charges`: by
-- direct debit (RCUR on the policy's mandate, own pain.008 file) or by a payment request letter.
create table charge_collections (
  adjustment_id bigint primary key references billing_adjustments(id),
  policy_id uuid not null references policies(id),
  -- EndToEndId of the debit, and the reference a transfer must quote: <policy number>-C<adjustment id>.
  reference text not null unique check (length(reference) <= 35),
  method text not null check (method in ('direct_debit', 'transfer')),
  amount_cents bigint not null check (amount_cents > 0),
  mandate_id uuid references sepa_mandates(id),
  sequence_type text check (sequence_type in ('FRST', 'RCUR')),
  -- The collection date of the debit, or the date by which a transfer is due.
  due_date date not null,
  batch_id bigint references payment_batches(id),
  status text not null default 'open' check (status in ('open', 'paid', 'returned')),
  paid_cents bigint not null default 0 check (paid_cents >= 0),
  settled_on date,
  returned_on date,
  return_reason text,
  created_on date not null,
  created_at timestamptz not null,
  check ((method = 'direct_debit') = (mandate_id is not null)),
  check ((method = 'direct_debit') = (batch_id is not null))
);
create index charge_collections_batch_idx on charge_collections (batch_id) where batch_id is not null;

-- Dunning of a charge: the reminder names the charge instead of an invoice.
alter table premium_reminders add column adjustment_id bigint references billing_adjustments(id);
create unique index premium_reminders_adjustment_idx
  on premium_reminders (adjustment_id) where adjustment_id is not null;

-- The letters outbox also carries the pre-notification of a charge's debit and the payment request
-- for a charge paid by transfer; neither belongs to a reminder or suspends anything.
alter table premium_letters drop constraint premium_letters_kind_check;
alter table premium_letters add constraint premium_letters_kind_check
  check (kind in ('reminder', 'formal_notice', 'payment_request', 'pre_notification'));
alter table premium_letters alter column reminder_id drop not null;
alter table premium_letters alter column suspension_from drop not null;
alter table premium_letters add column adjustment_id bigint references billing_adjustments(id);
alter table premium_letters add constraint premium_letters_subject_check
  check (reminder_id is not null or adjustment_id is not null);
create unique index premium_letters_charge_idx
  on premium_letters (adjustment_id, kind) where reminder_id is null;
