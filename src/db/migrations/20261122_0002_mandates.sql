-- SEPA direct-debit mandates: one active mandate per policy; the mandate reference is the MndtId of pain.008.
create table sepa_mandates (
  id uuid primary key default gen_random_uuid(),
  policy_id uuid not null references policies(id),
  reference text not null unique check (length(reference) between 1 and 35),
  account_holder text not null,
  iban text not null,
  bic text,
  signed_on date not null,
  consent_text text not null,
  revoked_on date,
  created_at timestamptz not null
);
create unique index sepa_mandates_active_idx on sepa_mandates (policy_id) where revoked_on is null;
