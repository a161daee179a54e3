-- The language a policyholder reads their letters and claim explanations in (nl, fr or en),
-- chosen at bind time among the languages the product offers. Parties from before this migration
-- were written to in Dutch only, so that is what they keep until they choose otherwise.
alter table parties add column language text not null default 'nl'
  check (language in ('nl', 'fr', 'en'));
