import type { Insertable, Updateable } from "kysely";
import type { Tx } from "../../db/schema.ts";
import type { Ctx } from "../../shared/context.ts";
import { AppError, NotFoundError } from "../../shared/errors.ts";
import type { RemovalStatus, RiskArea, RiskLevel } from "../model.ts";
import type { CaseRow, ContentRemovalsTable, RemovalRow } from "../tables.ts";
import { audit } from "./cases.ts";

/**
 * Writer of `ransom_consents`, `content_removals` and `risk_assessments`. Consents and
 * assessments are insert-only (never updated: a consent's maximum is fixed when given, answers are
 * kept as submitted). A content-removal item moves by compare-and-set on its version and status.
 */

export async function insertConsent(
  tx: Tx,
  ctx: Ctx,
  c: CaseRow,
  v: { givenOn: string; givenByName: string; maxCents: number },
) {
  const row = await tx
    .insertInto("ransom_consents")
    .values({
      case_id: c.id,
      policy_id: c.policy_id,
      given_at: ctx.now,
      given_on: v.givenOn,
      given_by: ctx.actor,
      given_by_name: v.givenByName,
      max_cents: v.maxCents,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await audit(tx, ctx, [
    {
      action: "assistance.ransom_consent_given",
      entityType: "assistance_case",
      entityId: c.id,
      policyId: c.policy_id,
      after: { consentId: row.id, givenOn: v.givenOn, maxCents: v.maxCents },
    },
  ]);
  return row;
}

/** Every consent given on the policy's cases (the claim decision picks the one that counts). */
export function consentsOfPolicy(tx: Tx, policyId: string) {
  return tx
    .selectFrom("ransom_consents")
    .selectAll()
    .where("policy_id", "=", policyId)
    .orderBy("given_at")
    .execute();
}

export function consentsOfCase(tx: Tx, caseId: string) {
  return tx
    .selectFrom("ransom_consents")
    .selectAll()
    .where("case_id", "=", caseId)
    .orderBy("given_at")
    .execute();
}

export async function insertRemoval(
  tx: Tx,
  ctx: Ctx,
  values: Omit<
    Insertable<ContentRemovalsTable>,
    "id" | "version" | "created_at" | "updated_at" | "created_by"
  >,
): Promise<RemovalRow> {
  const row = await tx
    .insertInto("content_removals")
    .values({ ...values, created_by: ctx.actor, created_at: ctx.now, updated_at: ctx.now })
    .returningAll()
    .executeTakeFirstOrThrow();
  await audit(tx, ctx, [
    {
      action: "assistance.removal_requested",
      entityType: "content_removal",
      entityId: row.id,
      policyId: row.policy_id,
      after: row,
    },
  ]);
  return row;
}

export async function getRemoval(tx: Tx, id: string): Promise<RemovalRow> {
  const row = await tx.selectFrom("content_removals").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw new NotFoundError("content removal", id);
  return row;
}

export function removalsOfCase(tx: Tx, caseId: string) {
  return tx
    .selectFrom("content_removals")
    .selectAll()
    .where("case_id", "=", caseId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
}

/** Compare-and-set on the item's version; `conflict` when it moved since it was read. */
export async function updateRemoval(
  tx: Tx,
  ctx: Ctx,
  row: RemovalRow,
  changes: Omit<Updateable<ContentRemovalsTable>, "id" | "version" | "updated_at"> & {
    status: RemovalStatus;
  },
): Promise<RemovalRow> {
  const updated = await tx
    .updateTable("content_removals")
    .set({ ...changes, updated_at: ctx.now, version: row.version + 1 })
    .where("id", "=", row.id)
    .where("version", "=", row.version)
    .returningAll()
    .executeTakeFirst();
  if (!updated) throw new AppError("conflict", "the content-removal item changed concurrently; retry");
  await audit(tx, ctx, [
    {
      action: "assistance.removal_status",
      entityType: "content_removal",
      entityId: row.id,
      policyId: row.policy_id,
      before: { status: row.status },
      after: { status: changes.status },
    },
  ]);
  return updated;
}

export async function insertAssessment(
  tx: Tx,
  ctx: Ctx,
  v: {
    partyId: string;
    version: number;
    answers: Record<string, string>;
    areas: Partial<Record<RiskArea, number>>;
    overall: number;
    level: RiskLevel;
  },
) {
  const row = await tx
    .insertInto("risk_assessments")
    .values({
      party_id: v.partyId,
      questionnaire_version: v.version,
      answers: JSON.stringify(v.answers),
      area_scores: JSON.stringify(v.areas),
      overall: v.overall,
      level: v.level,
      taken_at: ctx.now,
      actor: ctx.actor,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await audit(tx, ctx, [
    {
      action: "assistance.risk_assessed",
      entityType: "risk_assessment",
      entityId: row.id,
      after: { overall: v.overall, level: v.level, version: v.version },
    },
  ]);
  return row;
}

export function assessmentsOf(tx: Tx, partyId: string) {
  return tx
    .selectFrom("risk_assessments")
    .selectAll()
    .where("party_id", "=", partyId)
    .orderBy("taken_at")
    .orderBy("id")
    .execute();
}

export async function getAssessment(tx: Tx, id: string) {
  const row = await tx.selectFrom("risk_assessments").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw new NotFoundError("risk assessment", id);
  return row;
}
