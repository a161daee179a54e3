import type { Selectable } from "kysely";
import { z } from "zod";
import {
  claimWithDetails,
  type Decision,
  type DetailedClaimRow as DetailedRow,
  decisionHistory,
  type ExplanationStep,
  explainDecision,
  explanationStep,
} from "../../claims/index.ts";
import type { ClaimDecisionsTable, ClaimRow, Tx } from "../../db/schema.ts";
import type { ProductDefinition } from "../../products/index.ts";
import type { Ctx } from "../../shared/context.ts";
import { NotFoundError } from "../../shared/errors.ts";
import { isLanguage, LANGUAGES, type Language } from "../../shared/i18n/index.ts";
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
    language: z.enum(LANGUAGES).describe("the language of every text of this decision"),
    explanation: z
      .array(
        z.object({
          number: z.number().int().describe("1, 2, 3… in the order shown"),
          step: z.number().int().describe("the rule step of the decision (coverage-rules.md); 9: override"),
          code: z.string(),
          params: z.record(z.string(), z.unknown()).describe("what the text says, as codes and cents"),
          text: z.string(),
        }),
      )
      .describe("the decision step by step, in the reader's language"),
    nextStep: z.string().describe("what happens now, or what the policyholder has to do"),
    complaints: z.string().describe("where to turn in case of disagreement"),
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

const num = (v: unknown) => (typeof v === "number" ? v : Number(v ?? 0));
const iso = (d: Date | string) => new Date(d).toISOString();

/**
 * The language a claim is shown in: the one the reader asked for (Accept-Language), else the
 * policyholder's own, else the product's default.
 */
export function languageFor(
  asked: Language | null,
  holder: string | null,
  product: ProductDefinition,
): Language {
  return asked ?? (isLanguage(holder) ? holder : product.languages.default);
}

/**
 * Decisions stored before explanations became codes hold `{step, code, nl, en}` prose: shown as
 * written (Dutch for a French reader, the one language they have besides English).
 */
const legacyStep = z.looseObject({
  step: z.number().int(),
  code: z.string(),
  nl: z.string(),
  en: z.string(),
});

function explanationOf(
  product: ProductDefinition,
  language: Language,
  d: { outcome: Decision["outcome"] | "referred"; payout: number; missing: string[]; explanation: unknown[] },
) {
  const steps = z.array(explanationStep).safeParse(d.explanation);
  const legacy = steps.success ? null : z.array(legacyStep).safeParse(d.explanation);
  const explanation: ExplanationStep[] = steps.success ? steps.data : [];
  const rendered = explainDecision(product, language, { ...d, explanation });
  return {
    language,
    explanation: legacy?.success
      ? legacy.data.map((e, i) => ({
          number: i + 1,
          step: e.step,
          code: e.code,
          params: {},
          text: language === "en" ? e.en : e.nl,
        }))
      : rendered.steps.map((r, i) => ({ ...r, params: explanation[i]!.params })),
    nextStep: rendered.nextStep,
    complaints: rendered.complaints,
  };
}

type DecisionRow = Selectable<ClaimDecisionsTable>;

/**
 * A decision row as the view shows it, explained in `asked` or else the policyholder's language;
 * from a row or its JSON (where instants are strings).
 */
export function decisionOf(
  ctx: Ctx,
  d: Omit<DecisionRow, "decided_at"> & { decided_at: Date | string },
  language: { asked: Language | null; holder: string | null },
) {
  const product = ctx.catalog.get(d.product_code, d.product_version);
  return {
    sequence: d.sequence,
    kind: d.kind,
    outcome: d.outcome,
    payout: formatAmount(num(d.payout_cents)),
    reasons: d.reasons,
    missing: d.missing,
    section: d.section,
    policyYearStart: d.policy_year_start,
    lines: d.lines.map((l) => ({
      lineNo: l.lineNo,
      kind: l.kind,
      amount: formatAmount(l.amount),
      accepted: l.accepted,
      reason: l.reason,
    })),
    ...explanationOf(product, languageFor(language.asked, language.holder, product), {
      outcome: d.outcome,
      payout: num(d.payout_cents),
      missing: d.missing,
      explanation: d.explanation,
    }),
    decidedOn: d.decided_on,
    decidedAt: iso(d.decided_at),
    reasonText: d.reason_text,
  };
}

/** Every decision of a claim, oldest first, in one query, all in the one language given. */
export async function viewDecisions(tx: Tx, ctx: Ctx, claimId: string, language: Language | null) {
  const rows = await decisionHistory(tx, claimId);
  return rows.map((d) => decisionOf(ctx, d, { asked: language, holder: null }));
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

/** The view of a row of `claimsWithDetails`, explained in `asked` or else the policyholder's language. */
export function claimOf(ctx: Ctx, row: DetailedRow, asked: Language | null): ClaimView {
  const { lines_json: lines, decision_json: decision, holder_language: holder, ...c } = row;
  return {
    ...claimFields(c),
    losses: lines.map((l) => ({
      lineNo: l.line_no,
      kind: l.kind,
      amount: formatAmount(num(l.amount_cents)),
    })),
    facts: c.facts,
    payout: formatAmount(c.payout_cents),
    decision: decision ? decisionOf(ctx, decision, { asked, holder: holder ?? null }) : null,
    createdAt: iso(c.created_at),
    updatedAt: iso(c.updated_at),
  };
}

export async function viewClaim(
  tx: Tx,
  ctx: Ctx,
  claimId: string,
  asked: Language | null,
): Promise<ClaimView> {
  const row = await claimWithDetails(tx, claimId);
  if (!row) throw new NotFoundError("claim", claimId);
  return claimOf(ctx, row, asked);
}

/**
 * The view of a claim just decided in this transaction, from what the service returned: no
 * queries, which is what keeps filing a claim fast. Equal to viewClaim's answer (tested).
 */
export function viewDecidedClaim(
  c: ClaimRow,
  d: Decision,
  meta: { decidedOn: string; decidedAt: Date; product: ProductDefinition; language: Language },
): ClaimView {
  const { decidedOn, decidedAt } = meta;
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
      ...explanationOf(meta.product, meta.language, d),
      decidedOn,
      decidedAt: iso(decidedAt),
      reasonText: null,
    },
    createdAt: iso(c.created_at),
    updatedAt: iso(c.updated_at),
  };
}
