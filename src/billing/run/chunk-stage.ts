import { type RawBuilder, sql } from "kysely";
import type { Tx } from "../../db/schema.ts";
import { type HouseholdType, householdType, paymentFrequency, paymentMethod } from "../../products/index.ts";
import type { IsoDate } from "../../shared/dates.ts";
import type { ChunkRef, RunRef } from "./chunk.ts";
import type { BillingKey, InvoicePlanner, PlanRow } from "./chunk-plan.ts";
import { plainDebtor } from "./pain008-sql/pain008-sql.ts";

/**
 * The first half of a billing chunk, set-based: the chunk's policies are staged once, the database
 * groups them into billing keys, and the planner (the domain rules, in TypeScript) prices the
 * periods of each key once. chunk-sql.ts then inserts every policy's invoices in one statement: no
 * per-policy rows cross the wire.
 */

/** `column` within the chunk's policy id range [lo, hi); null bounds are open. */
export function idRange(column: string, chunk: ChunkRef): RawBuilder<boolean> {
  const parts = [sql<boolean>`true`];
  if (chunk.lo !== null) parts.push(sql<boolean>`${sql.ref(column)} >= ${chunk.lo}::uuid`);
  if (chunk.hi !== null) parts.push(sql<boolean>`${sql.ref(column)} < ${chunk.hi}::uuid`);
  return sql<boolean>`(${sql.join(parts, sql` and `)})`;
}

/**
 * The chunk's policies with what decides their billing, staged once per chunk in a temporary table
 * (dropped at commit) that both the key query and the insert read: `billed_through` is the end of
 * the last invoiced period (one backward probe of the invoice key per policy, the costliest part of
 * the read, so it is done once), else the start date; `special` policies have household changes or
 * schedule notices and are planned one by one. Mandates, endorsements and notices are read by the
 * same id range and joined as sets (a slice of their index each), not probed per policy. The
 * mandate's debtor data rides along for the pain.008 rows the insert hands back, with whether the
 * database can render them as stored (`plain`, pain008-sql.ts).
 */
export const STAGE = sql.raw("billing_chunk_policies");

async function stagePolicies(tx: Tx, run: RunRef, chunk: ChunkRef): Promise<void> {
  // A range no invoice was ever issued in (a new portfolio's first run, or the newest policies:
  // ids are time-ordered, so new business fills the last chunks) needs no probe per policy.
  const billedBefore = await sql<{ policy_id: string }>`
    select i.policy_id from invoices i where ${idRange("i.policy_id", chunk)}
    order by i.policy_id limit 1`.execute(tx);
  const lastInvoice =
    billedBefore.rows.length > 0
      ? sql`left join lateral (
        select i.period_end, i.mandate_id from invoices i
        where i.policy_id = p.id order by i.period_start desc limit 1
      ) li on true`
      : sql`cross join (select null::date as period_end, null::uuid as mandate_id) li`;
  await sql`create temporary table ${STAGE} (
      id uuid, number text, product_code text, product_version int4, household text,
      start_date date, payment_frequency text, payment_method text, end_date date, mandate_id uuid,
      last_mandate_id uuid, billed_through date, direct bool, special bool, mandate_reference text,
      signed_on date, account_holder text, iban text, bic text, plain bool, billing_key text
    ) on commit drop`.execute(tx);
  await sql`
    insert into ${STAGE}
    select p.id, p.number, p.product_code, p.product_version, p.household, p.start_date,
           p.payment_frequency, p.payment_method, p.end_date, m.id, li.mandate_id,
           greatest(li.period_end, p.start_date),
           (p.payment_method = 'sepa_direct_debit' and m.id is not null),
           s.policy_id is not null, m.reference, m.signed_on, m.account_holder, m.iban, m.bic,
           ${plainDebtor("p", "m")},
           concat_ws(${KEY_SEPARATOR}, case when s.policy_id is not null then p.id::text else '-' end,
             p.product_code, p.product_version, p.household, p.start_date::text,
             p.payment_frequency, p.payment_method, coalesce(p.end_date::text, '-'),
             case when p.payment_method = 'sepa_direct_debit' and m.id is not null then 'direct' else 'other' end)
    from policies p
    ${lastInvoice}
    left join sepa_mandates m
      on m.policy_id = p.id and m.revoked_on is null and ${idRange("m.policy_id", chunk)}
    left join (
      select policy_id from policy_endorsements where ${idRange("policy_id", chunk)}
      union
      select policy_id from billing_schedule_notices where ${idRange("policy_id", chunk)}
    ) s on s.policy_id = p.id
    where ${idRange("p.id", chunk)}
      and greatest(li.period_end, p.start_date) <= ${run.runDate}::date
      and (p.end_date is null or greatest(li.period_end, p.start_date) < p.end_date)`.execute(tx);
}

// The columns a billing key is made of, joined into one text in the staging table: grouping and
// joining on one column costs the database a fraction of doing it on nine. Product codes,
// households, frequencies and methods are identifiers from the product data, never with a "|".
const KEY_SEPARATOR = "|";

/** A billing key and the text the staged policies carry for it. */
export type StagedKey = BillingKey & { billing_key: string };

function parseKey(key: string, billedFrom: IsoDate): Omit<BillingKey, "key_no"> {
  const [policy, product, version, household, start, frequency, method, end, direct] =
    key.split(KEY_SEPARATOR);
  return {
    policy_id: policy === "-" ? null : policy!,
    product_code: product!,
    product_version: Number(version),
    // Parsed, not cast: the key is text the database assembled from the policy's columns.
    household: householdType.parse(household),
    start_date: start!,
    payment_frequency: paymentFrequency.parse(frequency),
    payment_method: paymentMethod.parse(method),
    end_date: end === "-" ? null : end!,
    direct: direct === "direct",
    billed_from: billedFrom,
  };
}

/** The billing keys of the staged policies, in a stable order (key numbers are their positions). */
async function keysOf(tx: Tx): Promise<StagedKey[]> {
  const result = await sql<{ billing_key: string; billed_from: IsoDate }>`
    select billing_key, min(billed_through) as billed_from from ${STAGE} group by billing_key`.execute(tx);
  return result.rows
    .sort((a, b) => (a.billing_key < b.billing_key ? -1 : a.billing_key > b.billing_key ? 1 : 0))
    .map((r, key_no) => ({ ...parseKey(r.billing_key, r.billed_from), key_no, billing_key: r.billing_key }));
}

/**
 * Stages the chunk's policies and plans their keys' periods; household changes and notices are read
 * only for special keys. Runs in the chunk's transaction: the staging table lives until its commit.
 */
export async function planChunk(
  tx: Tx,
  planner: InvoicePlanner,
  run: RunRef,
  chunk: ChunkRef,
): Promise<{ keys: StagedKey[]; plan: PlanRow[] }> {
  await stagePolicies(tx, run, chunk);
  const keys = await keysOf(tx);
  if (keys.length === 0) return { keys, plan: [] };
  const special = keys.some((k) => k.policy_id !== null);
  const [endorsements, notices] = special
    ? await Promise.all([
        tx
          .selectFrom("policy_endorsements")
          .select(["policy_id", "effective_date", "household"])
          .where(idRange("policy_id", chunk))
          .orderBy("effective_date")
          .execute(),
        tx
          .selectFrom("billing_schedule_notices")
          .select(["policy_id", "year_start", "notified_on"])
          .where(idRange("policy_id", chunk))
          .execute(),
      ])
    : [[], []];
  const endorsementsOf = new Map<string, { effectiveDate: IsoDate; household: HouseholdType }[]>();
  for (const e of endorsements) {
    const list = endorsementsOf.get(e.policy_id) ?? [];
    list.push({ effectiveDate: e.effective_date, household: e.household });
    endorsementsOf.set(e.policy_id, list);
  }
  const noticesOf = new Map<string, Map<IsoDate, IsoDate>>();
  for (const n of notices) {
    const map = noticesOf.get(n.policy_id) ?? new Map<IsoDate, IsoDate>();
    map.set(n.year_start, n.notified_on);
    noticesOf.set(n.policy_id, map);
  }
  const plan = keys.flatMap((k) =>
    k.policy_id === null
      ? planner.plan(k, [], undefined)
      : planner.plan(k, endorsementsOf.get(k.policy_id) ?? [], noticesOf.get(k.policy_id)),
  );
  return { keys, plan };
}
