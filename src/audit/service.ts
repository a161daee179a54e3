import type { Insertable } from "kysely";
import type { AuditLogTable, Tx } from "../db/schema.ts";
import type { Ctx } from "../shared/context.ts";

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string;
  policyId?: string | null;
  before?: unknown;
  after?: unknown;
}

/** The row for an entry; exported so a service can insert it as part of a larger statement. */
export function auditRow(ctx: Ctx, entry: AuditEntry): Insertable<AuditLogTable> {
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
