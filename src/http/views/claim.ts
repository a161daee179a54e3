import type { Selectable } from "kysely";
import { jsonArrayFrom, jsonObjectFrom } from "kysely/helpers/postgres";
import { z } from "zod";
import type { Decision } from "../../claims/types.ts";
import type { ClaimDecisionsTable, ClaimRow, Tx } from "../../db/schema.ts";
import { NotFoundError } from "../../shared/errors.ts";
import { formatAmount } from "../../shared/money.ts";
import { isoDate, money, uuid } from "../schemas.ts";

const outcome = z.enum(["approved", "denied", "needs_information", "referred"]);
export const claimStatus = z.enum(["new", "needs_information", "approved", "denied", "referred"]);

export const decisionView = z
  .object({
    sequence: z.number().int(),
    kind: z.enum(["automatic", "override"]),
    outcome,
    payout: money,
    reasons: z.array(z.string()).describe("stable codes: every rejected line, cap or exclusion"),
    missing: z.array(z.string()).describe("what must be supplied before the claim can be decided"),
    section: z.string().nullable(),
    policyYearStart: isoDate.nullable(),
    lines: z.array(
      z.object({
        lineNo: z.number().int(),
        kind: z.string(),
        amount: money,
        accepted: z.boolean(),
        reason: z.string().nullable(),
      }),
    ),
    explanation: z.array(
      z.object({ step: z.number().int(), code: z.string(), nl: z.string(), en: z.string() }),
    ),
    decidedOn: isoDate,
    decidedAt: z.string(),
    reasonText: z.string().nullable().describe("a handler's reason for an override"),
  })
  .meta({ id: "ClaimDecision" });

export const claimView = z
  .object({
    id: uuid,
    number: z.string(),
    policyId: uuid,
    reference: z.string().nullable(),
    peril: z.string(),
    section: z.string().nullable(),
    status: claimStatus,
    incidentDate: isoDate,
    reportedDate: isoDate,
    losses: z.array(z.object({ lineNo: z.number().int(), kind: z.string(), amount: money })),
    facts: z.record(z.string(), z.unknown()),
    payout: money,
    decision: decisionView.nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: "Claim" });
export type ClaimView = z.infer<typeof claimView>;

type Obj = Record<string, unknown>;
const num = (v: unknown) => (typeof v === "number" ? v : Number(v ?? 0));
const iso = (d: Date | string) => new Date(d).toISOString();

type DecisionRow = Selectable<ClaimDecisionsTable>;

/** A decision row as the view shows it; from a row or its JSON (where instants are strings). */
export function decisionOf(d: Omit<DecisionRow, "decided_at"> & { decided_at: Date | string }) {
  return {
    sequence: d.sequence,
    kind: d.kind,
    outcome: d.outcome,
    payout: formatAmount(num(d.payout_cents)),
    reasons: d.reasons,
    missing: d.missing,
    section: d.section,
    policyYearStart: d.policy_year_start,
    lines: (d.lines as Obj[]).map((l) => ({
      lineNo: num(l.lineNo),
      kind: String(l.kind),
      amount: formatAmount(num(l.amount)),
      accepted: l.accepted === true,
      reason: typeof l.reason === "string" ? l.reason : null,
    })),
    explanation: (d.explanation as Obj[]).map((e) => ({
      step: num(e.step),
      code: String(e.code),
      nl: String(e.nl),
      en: String(e.en),
    })),
    decidedOn: d.decided_on,
    decidedAt: iso(d.decided_at),
    reasonText: d.reason_text,
  };
}

/** Every decision of a claim, oldest first, in one query. */
export async function viewDecisions(tx: Tx, claimId: string) {
  const rows = await tx
    .selectFrom("claim_decisions")
    .selectAll()
    .where("claim_id", "=", claimId)
    .orderBy("sequence")
    .execute();
  return rows.map(decisionOf);
}

/** What a claim's view takes straight from its row, however it was read. */
function claimFields(c: ClaimRow) {
  return {
    id: c.id,
    number: c.number,
    policyId: c.policy_id,
    reference: c.reference,
    peril: c.peril,
    section: c.section,
    status: c.status,
    incidentDate: c.incident_date,
    reportedDate: c.reported_date,
  };
}

/**
 * Claims with their lines and current decision in one query (the lines as a JSON array, the
 * decision as a JSON object), so a page of claims costs the same number of queries as one.
 */
export function claimsWithDetails(tx: Tx) {
  return tx
    .selectFrom("claims")
    .selectAll("claims")
    .select((eb) => [
      jsonArrayFrom(
        eb
          .selectFrom("claim_lines as l")
          .select(["l.line_no", "l.kind", "l.amount_cents"])
          .whereRef("l.claim_id", "=", "claims.id")
          .orderBy("l.line_no"),
      ).as("lines_json"),
      jsonObjectFrom(
        eb
          .selectFrom("claim_decisions as d")
          .selectAll("d")
          .whereRef("d.claim_id", "=", "claims.id")
          .whereRef("d.sequence", "=", "claims.current_decision"),
      ).as("decision_json"),
    ]);
}

type DetailedRow = Awaited<ReturnType<ReturnType<typeof claimsWithDetails>["executeTakeFirstOrThrow"]>>;

/** The view of a row of `claimsWithDetails`. */
export function claimOf(row: DetailedRow): ClaimView {
  const { lines_json: lines, decision_json: decision, ...c } = row;
  return {
    ...claimFields(c),
    losses: lines.map((l) => ({
      lineNo: l.line_no,
      kind: l.kind,
      amount: formatAmount(num(l.amount_cents)),
    })),
    facts: c.facts,
    payout: formatAmount(c.payout_cents),
    decision: decision ? decisionOf(decision) : null,
    createdAt: iso(c.created_at),
    updatedAt: iso(c.updated_at),
  };
}

export async function viewClaim(tx: Tx, claimId: string): Promise<ClaimView> {
  const row = await claimsWithDetails(tx).where("claims.id", "=", claimId).executeTakeFirst();
  if (!row) throw new NotFoundError("claim", claimId);
  return claimOf(row);
}

/**
 * The view of a claim just decided in this transaction, from what the service returned: no
 * queries, which is what keeps filing a claim fast. Equal to viewClaim's answer (tested).
 */
export function viewDecidedClaim(c: ClaimRow, d: Decision, decidedOn: string, decidedAt: Date): ClaimView {
  return {
    ...claimFields(c),
    losses: d.lines.map((l) => ({ lineNo: l.lineNo, kind: l.kind, amount: formatAmount(l.amount) })),
    facts: c.facts,
    payout: formatAmount(c.payout_cents),
    decision: {
      sequence: c.current_decision ?? 1,
      kind: "automatic",
      outcome: d.outcome,
      payout: formatAmount(d.payout),
      reasons: d.reasons,
      missing: d.missing,
      section: d.section,
      policyYearStart: d.policyYear?.start ?? null,
      lines: d.lines.map((l) => ({ ...l, amount: formatAmount(l.amount) })),
      explanation: d.explanation.map((e) => ({ step: e.step, code: e.code, nl: e.nl, en: e.en })),
      decidedOn,
      decidedAt: iso(decidedAt),
      reasonText: null,
    },
    createdAt: iso(c.created_at),
    updatedAt: iso(c.updated_at),
  };
}
