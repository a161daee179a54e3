-- Billing a million policies a month: the invoice insert pays for every index it maintains, so the
-- invoices table keeps only its primary key on the insert path. Runs on PostgreSQL 15 and PGlite.

-- The reference (the SEPA EndToEndId, `<policy number>-<yyyymmdd of the period start>`) is unique
-- through the primary key and the unique policy number; it is looked up by parsing it
-- (invoiceByReference), not through an index of its own.
alter table invoices drop constraint invoices_reference_key;

-- The pain.008 files are rendered from what each chunk inserted (or read back by policy-id range
-- along the primary key), not by walking a batch index.
drop index invoices_batch_idx;

-- Bank reports name a batch; its invoices were inserted together, so a block-range index finds them
-- at nearly no cost per insert.
create index invoices_batch_brin on invoices using brin (batch_id);

-- Dunning looks for returned invoices and open ones nobody collects: neither is what the run inserts
-- for direct-debit payers, so this index costs the billing run only its other invoices.
create index invoices_dunning_idx on invoices (due_date)
  where status = 'returned' or (status = 'open' and batch_id is null);

-- What a chunk put into the run's files, so the files can be checked against it and read back by
-- range without visiting older invoices.
alter table billing_run_chunks
  add column debits integer,
  add column debit_cents bigint,
  add column first_period date;

-- The earliest period among a batch's debits: settling a collection date skips older invoices.
alter table payment_batches add column first_period date;
