-- Whether a mandate's fields go into a SEPA file exactly as stored: the billing run then renders its
-- debits in the database (src/billing/pain008-sql.ts) instead of running each through the bank
-- writer's normalisation in Node. Deliberately conservative: anything the writer would transliterate,
-- collapse, cut or escape (an apostrophe, an accent, a double space) makes it false, and the debit
-- is rendered by the writer itself. Stored and generated, so it is recomputed whenever a field
-- changes: an IBAN corrupted after registration loses it, as the renderer's screen demands.

-- ISO 7064 mod 97-10 of an IBAN in electronic format (1 for valid check digits), letters as 10..35.
create function iban_mod97(iban text) returns int
language sql immutable strict parallel safe as $$
  select case when iban ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]+$' then (
    select (string_agg(case when c between '0' and '9' then c else (ascii(c) - 55)::text end, '' order by n)::numeric % 97)::int
    from unnest(string_to_array(substr(iban, 5) || left(iban, 4), null)) with ordinality as t(c, n)
  ) end
$$;

alter table sepa_mandates add column plain_sepa boolean not null generated always as (coalesce(
  -- MndtId: SEPA identifier characters except the apostrophe (escaped in XML), no leading, trailing
  -- or double slash.
  length(reference) between 1 and 35 and reference !~ '[^A-Za-z0-9/?:().,+-]'
    and left(reference, 1) <> '/' and right(reference, 1) <> '/' and strpos(reference, '//') = 0
  -- Debtor name: SEPA text without the apostrophe, at most 70, trimmed, no double spaces.
  and length(account_holder) between 1 and 70 and account_holder !~ '[^A-Za-z0-9/?:().,+ -]'
    and left(account_holder, 1) <> ' ' and right(account_holder, 1) <> ' ' and strpos(account_holder, '  ') = 0
  -- IBAN in electronic format with valid check digits (country and length are checked per run).
  and iban_mod97(iban) = 1
  -- BIC upper case, 8 or 11 (its country is checked per run).
  and (bic is null or bic ~ '^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$'),
  false)) stored;
