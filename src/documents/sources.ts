import { sql } from "kysely";
import type { Tx } from "../db/schema.ts";

/**
 * What the other modules have that should become a document and has none yet: the ids only, by
 * an anti-join on `documents.source_key`; the documents sweep (collect.ts) loads each one's data.
 * Read-only on the other modules' tables. Erased parties get no new documents.
 */
export interface Pending {
  premiumLetters: string[];
  decisions: { claimId: string; sequence: number }[];
  schedules: { policyId: string; version: number }[];
  cancellations: string[];
  refunds: number[];
}

export const sourceKey = {
  premiumLetter: (id: string) => `premium_letter:${id}`,
  decision: (claimId: string, sequence: number) => `claim_decision:${claimId}:${sequence}`,
  schedule: (policyId: string, version: number) => `schedule:${policyId}:${version}`,
  cancellation: (policyId: string) => `cancellation:${policyId}`,
  refund: (adjustmentId: number) => `refund:${adjustmentId}`,
};

const none = (key: ReturnType<typeof sql>) =>
  sql`not exists (select 1 from documents existing where existing.source_key = ${key})`;

export async function pendingSources(tx: Tx, limit: number): Promise<Pending> {
  const letters = await sql<{ id: string }>`
    select l.id from premium_letters l
      join policies p on p.id = l.policy_id join parties pa on pa.id = p.party_id
     where pa.erased_at is null and ${none(sql`'premium_letter:' || l.id::text`)}
     order by l.created_at, l.id limit ${limit}`.execute(tx);
  const decisions = await sql<{ claim_id: string; sequence: number }>`
    select d.claim_id, d.sequence from claim_decisions d
      join policies p on p.id = d.policy_id join parties pa on pa.id = p.party_id
     where pa.erased_at is null
       and ${none(sql`'claim_decision:' || d.claim_id::text || ':' || d.sequence::text`)}
     order by d.decided_at, d.claim_id, d.sequence limit ${limit}`.execute(tx);
  const schedules = await sql<{ id: string; version: number }>`
    select p.id, p.version from policies p join parties pa on pa.id = p.party_id
     where pa.erased_at is null
       and ${none(sql`'schedule:' || p.id::text || ':' || p.version::text`)}
     order by p.updated_at, p.id limit ${limit}`.execute(tx);
  const cancellations = await sql<{ id: string }>`
    select p.id from policies p join parties pa on pa.id = p.party_id
     where pa.erased_at is null and p.end_reason = 'cancelled' and p.end_date is not null
       and ${none(sql`'cancellation:' || p.id::text`)}
     order by p.updated_at, p.id limit ${limit}`.execute(tx);
  const refunds = await sql<{ id: number }>`
    select a.id from billing_adjustments a
      join policies p on p.id = a.policy_id join parties pa on pa.id = p.party_id
     where pa.erased_at is null and a.kind in ('refund', 'credit_note')
       and ${none(sql`'refund:' || a.id::text`)}
     order by a.id limit ${limit}`.execute(tx);
  return {
    premiumLetters: letters.rows.map((r) => r.id),
    decisions: decisions.rows.map((r) => ({ claimId: r.claim_id, sequence: Number(r.sequence) })),
    schedules: schedules.rows.map((r) => ({ policyId: r.id, version: Number(r.version) })),
    cancellations: cancellations.rows.map((r) => r.id),
    refunds: refunds.rows.map((r) => Number(r.id)),
  };
}

export function isEmpty(p: Pending): boolean {
  return Object.values(p).every((list) => list.length === 0);
}

/** A policy named by its id or its number (the CLI takes either); undefined when none. */
export async function findPolicy(
  tx: Tx,
  policy: string,
): Promise<{ id: string; version: number } | undefined> {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(policy);
  const row = await sql<{ id: string; version: number }>`
    select id, version from policies where ${isUuid ? sql`id = ${policy}::uuid or ` : sql``} number = ${policy}`.execute(
    tx,
  );
  const found = row.rows[0];
  return found && { id: found.id, version: Number(found.version) };
}
