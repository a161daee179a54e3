import { sql } from "kysely";
import type { AuditEntry } from "../audit/service.ts";
import type { ClaimRow, Tx } from "../db/schema.ts";
import { type LoadedPolicy, loadPolicy } from "../policies/repository.ts";
import type { Ctx } from "../shared/context.ts";
import { compareDates, type IsoDate } from "../shared/dates.ts";
import { AppError, type FieldIssue, NotFoundError, ValidationError } from "../shared/errors.ts";
import { decideClaim, limitKey } from "./decide.ts";
import { storeDecision } from "./store-decision.ts";
import type { Facts, LossLine } from "./types.ts";

/** A loss line as the claim insert unpacks it from JSON. */
interface LineInput {
  line_no: number;
  kind: string;
  amount_cents: number;
}

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
  const lines = JSON.stringify(
    input.losses.map((l, i) => ({ line_no: i + 1, kind: l.kind, amount_cents: l.amount })),
  );
  // One statement for the claim, its lines and its first facts (data-modifying CTEs): each
  // round trip costs a socket write and a wait while the transaction holds its connection.
  const claim = await tx
    .with("c", (db) =>
      db
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
        .returningAll(),
    )
    .with("l", (db) =>
      db
        .insertInto("claim_lines")
        .columns(["claim_id", "policy_id", "line_no", "kind", "amount_cents", "description"])
        .expression((eb) =>
          eb
            .selectFrom([
              "c",
              sql<LineInput>`(select * from jsonb_to_recordset(${lines}::jsonb) as r(line_no int, kind text, amount_cents bigint))`.as(
                "x",
              ),
            ])
            .select([
              "c.id",
              "c.policy_id",
              "x.line_no",
              "x.kind",
              "x.amount_cents",
              sql<null>`null`.as("description"),
            ]),
        ),
    )
    .with("f", (db) =>
      db
        .insertInto("claim_facts")
        .columns(["claim_id", "policy_id", "facts", "supplied_on", "actor", "recorded_at"])
        // The first facts are the claim's own facts, reported date and creation time.
        .expression((eb) =>
          eb
            .selectFrom("c")
            .select([
              "c.id",
              "c.policy_id",
              "c.facts",
              "c.reported_date",
              sql<string>`${ctx.actor}::text`.as("actor"),
              "c.created_at",
            ]),
        ),
    )
    .selectFrom("c")
    .selectAll()
    .executeTakeFirstOrThrow();
  const filed: AuditEntry = {
    action: "claim.filed",
    entityType: "claim",
    entityId: claim.id,
    policyId: policy.id,
    after: { ...claim, losses: input.losses },
  };
  return decideAndStore(tx, ctx, claim, input.reportedDate, filed, { loaded, losses: input.losses });
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
  const supplied: AuditEntry = {
    action: "claim.facts_supplied",
    entityType: "claim",
    entityId: claim.id,
    policyId: claim.policy_id,
    before: { facts: claim.facts },
    after: { facts: merged },
  };
  return decideAndStore(tx, ctx, { ...claim, facts: merged }, input.date, supplied);
}

/**
 * Decides with the policy's own product version. The limit-usage row of the claim's section and
 * policy year is locked first, so concurrent decisions against one limit queue up. `earlier` is
 * the caller's audit entry (filed, facts supplied): it is written with the decision's entry in
 * one insert, in that order.
 */
async function decideAndStore(
  tx: Tx,
  ctx: Ctx,
  claim: ClaimRow,
  decidedOn: IsoDate,
  earlier: AuditEntry,
  // fileClaim has just loaded the policy and written the lines in this transaction: reading
  // them again is two round trips.
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
  const sequence = (claim.current_decision ?? 0) + 1;
  const decided: AuditEntry = {
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
  };
  const updated = await storeDecision(tx, ctx, claim, decision, {
    sequence,
    decidedOn,
    productCode: product.code,
    productVersion: product.version,
    // Approved payouts count against the limit row locked above.
    limit: decision.outcome === "approved" && key ? { ...key, usedCents: used + decision.payout } : null,
    audit: [earlier, decided],
  });
  return { claim: updated, decision };
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
