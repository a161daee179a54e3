import type { Insertable, QueryCreator } from "kysely";
import type { AuditLogTable, Database, Tx } from "../db/schema.ts";
import type { Ctx } from "../shared/context.ts";

/**
 * The one writer of `audit_log`, which is append-only: entries are inserted inside the caller's
 * transaction (so a change and its entry commit or vanish together) and never updated, except by
 * GDPR erasure (erase.ts), which cuts a party's identifying values out of them. No lock: an
 * insert conflicts with nothing, and the serial id keeps the order entries were written in.
 */

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string;
  policyId?: string | null;
  before?: unknown;
  after?: unknown;
}

function auditRow(ctx: Ctx, entry: AuditEntry): Insertable<AuditLogTable> {
  return {
    at: ctx.now,
    actor: ctx.actor,
    action: entry.action,
    entity_type: entry.entityType,
    entity_id: entry.entityId,
    policy_id: entry.policyId ?? null,
    before: entry.before === undefined ? null : JSON.stringify(entry.before),
    after: entry.after === undefined ? null : JSON.stringify(entry.after),
    request_id: ctx.requestId ?? null,
  };
}

/**
 * The insert of several entries as a statement, for a caller that runs it as one CTE of a larger
 * statement (storing a claim decision in one round trip). Multi-row VALUES take their serial ids
 * in order, so the earlier entry stays first in the trail.
 */
export function auditInsert(db: QueryCreator<Database>, ctx: Ctx, entries: AuditEntry[]) {
  return db.insertInto("audit_log").values(entries.map((e) => auditRow(ctx, e)));
}

/** Written inside the caller's transaction, so a change and its audit entry commit or vanish together. */
export async function recordAudit(tx: Tx, ctx: Ctx, entry: AuditEntry): Promise<void> {
  await tx.insertInto("audit_log").values(auditRow(ctx, entry)).execute();
}

export async function auditTrail(
  tx: Tx,
  filter: { entityType: string; entityId: string } | { policyId: string },
) {
  let q = tx.selectFrom("audit_log").selectAll();
  q =
    "policyId" in filter
      ? q.where("policy_id", "=", filter.policyId)
      : q.where("entity_type", "=", filter.entityType).where("entity_id", "=", filter.entityId);
  return q.orderBy("id").execute();
}
