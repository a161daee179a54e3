-- Issue 14, item 7: an override pays at most the loss minus the deductible (eigen risico), within
-- the per-event cap and what remains of the annual limit. Beyond that only as ex gratia: marked,
-- approved by an admin, kept apart from the limit's usage and booked on its own expense account.
alter table claims add column ex_gratia_cents bigint not null default 0;
alter table claim_decisions add column ex_gratia_cents bigint not null default 0;
alter table claim_overrides add column ex_gratia boolean not null default false;
insert into ledger_accounts (code, name, kind) values ('ex_gratia_expense', 'Ex-gratia payments', 'expense');
