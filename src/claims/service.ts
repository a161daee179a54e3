import { ransomConsentFacts } from "../assistance/index.ts";
import type { AuditEntry } from "../audit/index.ts";
import type { ClaimRow, Tx } from "../db/schema.ts";
import { type LoadedPolicy, loadPolicy } from "../policies/index.ts";
import type { Ctx } from "../shared/context.ts";
import { compareDates, type IsoDate } from "../shared/dates.ts";
import { AppError, type FieldIssue, NotFoundError, ValidationError } from "../shared/errors.ts";
import { decideClaim, limitKey, RANSOM } from "./decide.ts";
import { insertClaim } from "./insert-claim.ts";
import { limitUsage } from "./store.ts";
import { storeDecision } from "./store-decision.ts";
import type { Facts, LossLine } from "./types.ts";

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
    if (l.paidOn != null && l.kind !== RANSOM)
      issues.push({ path: `losses.${i}.paidOn`, message: "only a ransom line carries the date it was paid" });
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
export async function fileClaim(
  tx: Tx,
  ctx: Ctx,
  input: FileClaimInput,
  // A caller that has loaded the policy in this transaction (to check access) passes it along.
  opts: { loaded?: LoadedPolicy } = {},
) {
  validateClaim(ctx, input);
  const loaded =
    opts.loaded?.policy.id === input.policyId ? opts.loaded : await loadPolicy(tx, ctx, input.policyId);
  const { policy } = loaded;
  // The limit row is locked by the same statement that inserts the claim (see decideAndStore).
  const key = limitKey(loaded.product, loaded.terms, {
    peril: input.peril,
    incidentDate: input.incidentDate,
    facts: input.facts,
    losses: input.losses,
  });
  const { claim, used } = await insertClaim(tx, ctx, input, key);
  const filed: AuditEntry = {
    action: "claim.filed",
    entityType: "claim",
    entityId: claim.id,
    policyId: policy.id,
    after: { ...claim, losses: input.losses },
  };
  return decideAndStore(tx, ctx, claim, input.reportedDate, filed, {
    loaded,
    losses: input.losses,
    used,
  });
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
  // fileClaim has also locked the limit row already (`used`).
  preloaded?: { loaded: LoadedPolicy; losses: LossLine[]; used: number },
) {
  const { policy, product, terms } = preloaded?.loaded ?? (await loadPolicy(tx, ctx, claim.policy_id));
  const lines =
    preloaded?.losses.map((l) => ({ kind: l.kind, amount_cents: l.amount, paid_on: l.paidOn ?? null })) ??
    (await tx
      .selectFrom("claim_lines")
      .select(["kind", "amount_cents", "paid_on"])
      .where("claim_id", "=", claim.id)
      .orderBy("line_no")
      .execute());
  const input = {
    peril: claim.peril,
    incidentDate: claim.incident_date,
    facts: claim.facts,
    losses: lines.map((l) => ({ kind: l.kind, amount: l.amount_cents, paidOn: l.paid_on })),
  };
  // The insurer's ransom consents count only for a ransom line with its payment date.
  const consents = lines.some((l) => l.kind === RANSOM && l.paid_on !== null)
    ? await ransomConsentFacts(tx, policy.id, product.timeZone)
    : [];
  const key = limitKey(product, terms, input);
  let used = preloaded?.used ?? 0;
  if (key && !preloaded) {
    used = (await limitUsage(tx, ctx, policy.id, key).executeTakeFirstOrThrow()).used_cents;
  }
  const decision = decideClaim(product, terms, input, used, consents);
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
