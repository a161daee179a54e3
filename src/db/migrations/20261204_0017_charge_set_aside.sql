-- Issue 10, item 1, for charges: a charge whose direct debit the bank file can't carry (a mandate
-- registered before the bank rule, or changed since) is asked for by transfer instead, and the
-- writer's reason is kept for finance's set-aside queue beside the run's set-aside debits.
alter table charge_collections add column set_aside_reason text;
create index charge_collections_set_aside_idx on charge_collections (created_on) where set_aside_reason is not null;
