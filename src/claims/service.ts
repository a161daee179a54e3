import { sql } from "kysely";
import { recordAudit } from "../audit/service.ts";
import type { ClaimRow, Tx } from "../db/schema.ts";
import { type LoadedPolicy, loadPolicy } from "../policies/repository.ts";
import type { Ctx } from "../shared/context.ts";
import { compareDates, type IsoDate } from "../shared/dates.ts";
import { AppError, type FieldIssue, NotFoundError, ValidationError } from "../shared/errors.ts";
import { decideClaim, limitKey } from "./decide.ts";
import { updateClaim } from "./repository.ts";
import type { Decision, Facts, LossLine } from "./types.ts";

export interface FileClaimInput {
  policyId: string;
  /** The filer's own reference (a partner's id, a scenario's id); unique per policy. */
  reference?: string | null;
  peril: string;
  incidentDate: IsoDate;
  reportedDate: IsoDate;
  losses: LossLine[];
  facts: Facts;
}

function validateClaim(ctx: Ctx, input: FileClaimInput) {
  const issues: FieldIssue[] = [];
  if (!ctx.catalog.knownPerils.has(input.peril))
    issues.push({ path: "peril", message: `unknown peril "${input.peril}"` });
  input.losses.forEach((l, i) => {
    if (!ctx.catalog.knownLossKinds.has(l.kind))
      issues.push({ path: `losses.${i}.kind`, message: `unknown loss kind "${l.kind}"` });
    if (!Number.isSafeInteger(l.amount) || l.amount < 0)
      issues.push({ path: `losses.${i}.amount`, message: "must be a non-negative amount" });
  });
  if (input.losses.length === 0)
    issues.push({ path: "losses", message: "at least one loss line is required" });
  if (issues.length > 0) {
    const code =
      issues[0]!.path === "peril"
        ? "unknown_peril"
        : issues[0]!.message.startsWith("unknown loss kind")
          ? "unknown_loss_kind"
          : "validation_failed";
    throw new ValidationError(issues, code);
  }
  if (compareDates(input.reportedDate, input.incidentDate) < 0) {
    throw new ValidationError(
      [{ path: "reportedDate", message: `lies before the incident date ${input.incidentDate}` }],
      "dates_out_of_order",
    );
  }
}

/** Files a claim and decides it at once (the decision may be `needs_information`). */
export async function fileClaim(tx: Tx, ctx: Ctx, input: FileClaimInput) {
  validateClaim(ctx, input);
  const loaded = await loadPolicy(tx, ctx, input.policyId);
  const { policy } = loaded;
  const claim = await tx
    .insertInto("claims")
    .values({
      policy_id: policy.id,
      // Numbered in the insert itself: one round trip fewer than a separate nextval.
      // lpad to at least 8 digits: lpad alone would cut a ninth digit off.
      number: sql<string>`(select 'CL-' || lpad(n::text, greatest(8, length(n::text)), '0') from nextval('claim_number_seq') as n)`,
      reference: input.reference ?? null,
      peril: input.peril,
      section: null,
      incident_date: input.incidentDate,
      reported_date: input.reportedDate,
      facts: JSON.stringify(input.facts),
      status: "new",
      current_decision: null,
      created_at: ctx.now,
      updated_at: ctx.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await tx
    .insertInto("claim_lines")
    .values(
      input.losses.map((l, i) => ({
        claim_id: claim.id,
        policy_id: policy.id,
        line_no: i + 1,
        kind: l.kind,
        amount_cents: l.amount,
        description: null,
      })),
    )
    .execute();
  await tx
    .insertInto("claim_facts")
    .values({
      claim_id: claim.id,
      policy_id: policy.id,
      facts: JSON.stringify(input.facts),
      supplied_on: input.reportedDate,
      actor: ctx.actor,
      recorded_at: ctx.now,
    })
    .execute();
  await recordAudit(tx, ctx, {
    action: "claim.filed",
    entityType: "claim",
    entityId: claim.id,
    policyId: policy.id,
    after: { ...claim, losses: input.losses },
  });
  return decideAndStore(tx, ctx, claim, input.reportedDate, { loaded, losses: input.losses });
}

/** Adds facts to a claim that waits for information and decides it again. */
export async function supplyClaimFacts(
  tx: Tx,
  ctx: Ctx,
  input: { claimId: string; facts: Facts; date: IsoDate },
) {
  const claim = await tx
    .selectFrom("claims")
    .selectAll()
    .where("id", "=", input.claimId)
    .forUpdate()
    .executeTakeFirst();
  if (!claim) throw new NotFoundError("claim", input.claimId);
  if (claim.status !== "needs_information") {
    throw new AppError(
      "claim_not_open",
      `claim ${claim.number} is ${claim.status}; facts can only be supplied while information is needed`,
    );
  }
  if (compareDates(input.date, claim.reported_date) < 0) {
    throw new ValidationError(
      [{ path: "date", message: `lies before the claim was reported (${claim.reported_date})` }],
      "dates_out_of_order",
    );
  }
  const merged = { ...claim.facts, ...input.facts };
  await tx
    .insertInto("claim_facts")
    .values({
      claim_id: claim.id,
      policy_id: claim.policy_id,
      facts: JSON.stringify(input.facts),
      supplied_on: input.date,
      actor: ctx.actor,
      recorded_at: ctx.now,
    })
    .execute();
  await recordAudit(tx, ctx, {
    action: "claim.facts_supplied",
    entityType: "claim",
    entityId: claim.id,
    policyId: claim.policy_id,
    before: { facts: claim.facts },
    after: { facts: merged },
  });
  return decideAndStore(tx, ctx, { ...claim, facts: merged }, input.date);
}

/**
 * Decides with the policy's own product version. The limit-usage row of the claim's section and
 * policy year is locked first, so concurrent decisions against one limit queue up.
 */
async function decideAndStore(
  tx: Tx,
  ctx: Ctx,
  claim: ClaimRow,
  decidedOn: IsoDate,
  // fileClaim has just loaded the policy and written the lines in this transaction: reading
  // them again is four round trips.
  preloaded?: { loaded: LoadedPolicy; losses: LossLine[] },
) {
  const { policy, product, terms } = preloaded?.loaded ?? (await loadPolicy(tx, ctx, claim.policy_id));
  const lines =
    preloaded?.losses.map((l) => ({ kind: l.kind, amount_cents: l.amount })) ??
    (await tx
      .selectFrom("claim_lines")
      .select(["kind", "amount_cents"])
      .where("claim_id", "=", claim.id)
      .orderBy("line_no")
      .execute());
  const input = {
    peril: claim.peril,
    incidentDate: claim.incident_date,
    facts: claim.facts,
    losses: lines.map((l) => ({ kind: l.kind, amount: l.amount_cents })),
  };
  const key = limitKey(product, terms, input);
  let used = 0;
  if (key) {
    const row = await tx
      .insertInto("limit_usage")
      .values({
        policy_id: policy.id,
        section: key.section,
        policy_year_start: key.policyYearStart,
        updated_at: ctx.now,
      })
      // A no-op update instead of "do nothing": it locks an existing row like FOR UPDATE and
      // returns what is used, in one round trip instead of an insert and a locking select.
      .onConflict((oc) =>
        oc
          .columns(["policy_id", "section", "policy_year_start"])
          .doUpdateSet((eb) => ({ used_cents: eb.ref("limit_usage.used_cents") })),
      )
      .returning("used_cents")
      .executeTakeFirstOrThrow();
    used = row.used_cents;
  }
  const decision = decideClaim(product, terms, input, used);
  if (decision.outcome === "approved" && key) {
    await tx
      .updateTable("limit_usage")
      .set({ used_cents: used + decision.payout, updated_at: ctx.now })
      .where("policy_id", "=", policy.id)
      .where("section", "=", key.section)
      .where("policy_year_start", "=", key.policyYearStart)
      .execute();
  }
  const sequence = (claim.current_decision ?? 0) + 1;
  await storeDecision(tx, ctx, claim, decision, {
    sequence,
    decidedOn,
    productCode: product.code,
    productVersion: product.version,
  });
  const updated = await updateClaim(tx, ctx, claim, {
    status: decision.outcome,
    payout_cents: decision.payout,
    section: decision.section,
    facts: JSON.stringify(claim.facts),
    current_decision: sequence,
  });
  await recordAudit(tx, ctx, {
    action: "claim.decided",
    entityType: "claim",
    entityId: claim.id,
    policyId: policy.id,
    before: { status: claim.status, payout: claim.payout_cents },
    after: {
      status: decision.outcome,
      payout: decision.payout,
      reasons: decision.reasons,
      missing: decision.missing,
      sequence,
    },
  });
  return { claim: updated, decision };
}

async function storeDecision(
  tx: Tx,
  ctx: Ctx,
  claim: ClaimRow,
  d: Decision,
  meta: { sequence: number; decidedOn: IsoDate; productCode: string; productVersion: number },
) {
  await tx
    .insertInto("claim_decisions")
    .values({
      claim_id: claim.id,
      sequence: meta.sequence,
      policy_id: claim.policy_id,
      kind: "automatic",
      outcome: d.outcome,
      payout_cents: d.payout,
      reasons: JSON.stringify(d.reasons),
      missing: JSON.stringify(d.missing),
      lines: JSON.stringify(d.lines),
      explanation: JSON.stringify(d.explanation),
      section: d.section,
      policy_year_start: d.policyYear?.start ?? null,
      product_code: meta.productCode,
      product_version: meta.productVersion,
      decided_on: meta.decidedOn,
      decided_at: ctx.now,
      actor: ctx.actor,
      reason_text: null,
    })
    .execute();
}

export async function getClaimByReference(tx: Tx, policyId: string, reference: string) {
  const claim = await tx
    .selectFrom("claims")
    .selectAll()
    .where("policy_id", "=", policyId)
    .where("reference", "=", reference)
    .executeTakeFirst();
  if (!claim) throw new NotFoundError("claim", reference);
  return claim;
}
