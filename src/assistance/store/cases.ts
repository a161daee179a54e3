import { type Insertable, sql, type Updateable } from "kysely";
import { type AuditEntry, auditInsert } from "../../audit/index.ts";
import type { Tx } from "../../db/schema.ts";
import type { Ctx } from "../../shared/context.ts";
import { AppError, NotFoundError } from "../../shared/errors.ts";
import type { CaseStatus, Target } from "../model.ts";
import type { AssistanceCasesTable, CaseRow } from "../tables.ts";

/**
 * The assistance module's writer of `assistance_cases` and the rows that hang off a case (notes,
 * status and priority history, referrals, breaches). No other code writes them.
 *
 * Lock rule: a case changes only by compare-and-set on its `version` (`updateCase`): the update
 * applies to the case as it was read, so of two racing writers one wins and the other gets
 * `conflict` with nothing written; its status-history row carries the new version under a
 * unique (case, version) key, so the history can never fork. Notes, referrals and history rows
 * are append-only. Every write puts its audit entry in the same transaction.
 */

export type NewCase = Omit<
  Insertable<AssistanceCasesTable>,
  "id" | "number" | "version" | "created_at" | "updated_at"
>;

export async function insertCase(tx: Tx, ctx: Ctx, values: NewCase): Promise<CaseRow> {
  const row = await tx
    .insertInto("assistance_cases")
    .values({
      ...values,
      number: sql<string>`(select 'HC-' || lpad(n::text, greatest(8, length(n::text)), '0') from nextval('assistance_case_number_seq') as n)`,
      created_at: ctx.now,
      updated_at: ctx.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await tx
    .insertInto("assistance_status_changes")
    .values({
      case_id: row.id,
      policy_id: row.policy_id,
      from_status: null,
      to_status: row.status,
      version: row.version,
      reason: null,
      actor: ctx.actor,
      at: ctx.now,
    })
    .execute();
  await audit(tx, ctx, [
    {
      action: "assistance.case_opened",
      entityType: "assistance_case",
      entityId: row.id,
      policyId: row.policy_id,
      after: row,
    },
  ]);
  return row;
}

export async function getCase(tx: Tx, id: string): Promise<CaseRow> {
  const row = await tx.selectFrom("assistance_cases").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw new NotFoundError("case", id);
  return row;
}

export async function getCaseByReference(tx: Tx, policyId: string, reference: string): Promise<CaseRow> {
  const row = await tx
    .selectFrom("assistance_cases")
    .selectAll()
    .where("policy_id", "=", policyId)
    .where("reference", "=", reference)
    .executeTakeFirst();
  if (!row) throw new AppError("unknown_case", `no case ${reference} on this policy`);
  return row;
}

/**
 * Compare-and-set on the case's version. A status change also appends its history row (keyed by
 * the new version). Throws `conflict` when the case moved since it was read.
 */
export async function updateCase(
  tx: Tx,
  ctx: Ctx,
  row: CaseRow,
  changes: Omit<Updateable<AssistanceCasesTable>, "id" | "version" | "updated_at">,
  opts: { audit: Omit<AuditEntry, "entityType" | "entityId" | "policyId">; statusReason?: string | null },
): Promise<CaseRow> {
  const updated = await tx
    .updateTable("assistance_cases")
    .set({ ...changes, updated_at: ctx.now, version: row.version + 1 })
    .where("id", "=", row.id)
    .where("version", "=", row.version)
    .returningAll()
    .executeTakeFirst();
  if (!updated) throw new AppError("conflict", `case ${row.number} changed concurrently; retry`);
  if (changes.status !== undefined && changes.status !== row.status) {
    await tx
      .insertInto("assistance_status_changes")
      .values({
        case_id: row.id,
        policy_id: row.policy_id,
        from_status: row.status,
        to_status: changes.status as CaseStatus,
        version: updated.version,
        reason: opts.statusReason ?? null,
        actor: ctx.actor,
        at: ctx.now,
      })
      .execute();
  }
  await audit(tx, ctx, [
    { ...opts.audit, entityType: "assistance_case", entityId: row.id, policyId: row.policy_id },
  ]);
  return updated;
}

export async function appendNote(
  tx: Tx,
  ctx: Ctx,
  c: CaseRow,
  note: { body: string; authorRole: string; isResponse: boolean },
) {
  const row = await tx
    .insertInto("assistance_notes")
    .values({
      case_id: c.id,
      policy_id: c.policy_id,
      author: ctx.actor,
      author_role: note.authorRole,
      at: ctx.now,
      body: note.body,
      is_response: note.isResponse,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await audit(tx, ctx, [
    {
      action: "assistance.note_added",
      entityType: "assistance_case",
      entityId: c.id,
      policyId: c.policy_id,
      after: { noteId: row.id, isResponse: note.isResponse },
    },
  ]);
  return row;
}

export async function insertPriorityChange(
  tx: Tx,
  ctx: Ctx,
  c: CaseRow,
  change: { from: CaseRow["priority"]; to: CaseRow["priority"]; reason: string },
) {
  await tx
    .insertInto("assistance_priority_changes")
    .values({
      case_id: c.id,
      policy_id: c.policy_id,
      from_priority: change.from,
      to_priority: change.to,
      reason: change.reason,
      actor: ctx.actor,
      at: ctx.now,
    })
    .execute();
}

export async function insertReferral(tx: Tx, ctx: Ctx, c: CaseRow, to: string, advisedOn: string) {
  const row = await tx
    .insertInto("assistance_referrals")
    .values({
      case_id: c.id,
      policy_id: c.policy_id,
      referred_to: to,
      advised_on: advisedOn,
      actor: ctx.actor,
      at: ctx.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await audit(tx, ctx, [
    {
      action: "assistance.referred",
      entityType: "assistance_case",
      entityId: c.id,
      policyId: c.policy_id,
      after: { to, advisedOn },
    },
  ]);
  return row;
}

/** Records a missed target once (the unique key); a second call for the same target does nothing. */
export async function recordBreach(
  tx: Tx,
  ctx: Ctx,
  c: CaseRow,
  target: Target,
  dueAt: Date,
): Promise<boolean> {
  const row = await tx
    .insertInto("assistance_breaches")
    .values({ case_id: c.id, policy_id: c.policy_id, target, due_at: dueAt, recorded_at: ctx.now })
    .onConflict((oc) => oc.columns(["case_id", "target"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  if (row)
    await audit(tx, ctx, [
      {
        action: "assistance.breach_recorded",
        entityType: "assistance_case",
        entityId: c.id,
        policyId: c.policy_id,
        after: { target, dueAt, escalatedTo: "helpline_supervisor" },
      },
    ]);
  return row !== undefined;
}

/** A supervisor marks an escalation seen; compare-and-set on `acknowledged_at is null`. */
export async function acknowledgeBreach(tx: Tx, ctx: Ctx, breachId: number) {
  const row = await tx
    .updateTable("assistance_breaches")
    .set({ acknowledged_by: ctx.actor, acknowledged_at: ctx.now })
    .where("id", "=", breachId)
    .where("acknowledged_at", "is", null)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw new AppError("conflict", `escalation ${breachId} is unknown or already acknowledged`);
  await audit(tx, ctx, [
    {
      action: "assistance.escalation_acknowledged",
      entityType: "assistance_case",
      entityId: row.case_id,
      policyId: row.policy_id,
    },
  ]);
  return row;
}

export async function caseDetails(tx: Tx, caseId: string) {
  const [notes, history, referrals, breaches, priorities] = await Promise.all([
    tx.selectFrom("assistance_notes").selectAll().where("case_id", "=", caseId).orderBy("id").execute(),
    tx
      .selectFrom("assistance_status_changes")
      .selectAll()
      .where("case_id", "=", caseId)
      .orderBy("version")
      .execute(),
    tx.selectFrom("assistance_referrals").selectAll().where("case_id", "=", caseId).orderBy("id").execute(),
    tx.selectFrom("assistance_breaches").selectAll().where("case_id", "=", caseId).orderBy("id").execute(),
    tx
      .selectFrom("assistance_priority_changes")
      .selectAll()
      .where("case_id", "=", caseId)
      .orderBy("id")
      .execute(),
  ]);
  return { notes, history, referrals, breaches, priorities };
}

export async function audit(tx: Tx, ctx: Ctx, entries: AuditEntry[]) {
  // In slices: a sweep's first pass can audit tens of thousands of breaches at once.
  for (let i = 0; i < entries.length; i += 1000)
    await auditInsert(tx, ctx, entries.slice(i, i + 1000)).execute();
}

/** The supervisor's escalations: breaches not yet acknowledged, oldest first. */
export function openEscalations(tx: Tx, page: { limit: number; offset: number }) {
  return tx
    .selectFrom("assistance_breaches as b")
    .innerJoin("assistance_cases as c", "c.id", "b.case_id")
    .select([
      "b.id",
      "b.case_id",
      "c.number",
      "c.priority",
      "c.status",
      "c.category",
      "b.target",
      "b.due_at",
      "b.recorded_at",
      "b.escalated_to",
    ])
    .where("b.acknowledged_at", "is", null)
    .orderBy("b.recorded_at")
    .orderBy("b.id")
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}
