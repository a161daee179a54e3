import { loadCase, updateCase } from "../assistance/index.ts";
import { type FileClaimInput, fileClaim } from "../claims/index.ts";
import type { Tx } from "../db/schema.ts";
import type { Ctx } from "../shared/context.ts";
import { dateIn, type IsoDate } from "../shared/dates.ts";
import { AppError, ValidationError } from "../shared/errors.ts";

/** The perils a case's category may become: one fixed, a list to choose from, or any (null). */
export function perilChoices(
  claimPerils: Readonly<Record<string, string | string[]>>,
  category: string,
): string[] | null {
  const p = claimPerils[category];
  if (p === undefined) return null;
  return Array.isArray(p) ? p : [p];
}

/**
 * A helpline case becomes a claim (service-rules.md): the peril follows the category (or staff
 * choose where the product leaves it open), the incident date and facts are entered by staff
 * (prefilled from the case: its contact date), and the two are linked both ways: the case keeps
 * the claim's id, the claim the case's (`facts.helplineCase`) and reference (the case number).
 */
export async function convertCaseToClaim(
  tx: Tx,
  ctx: Ctx,
  input: Omit<FileClaimInput, "policyId" | "peril" | "incidentDate" | "reportedDate" | "reference"> & {
    caseId: string;
    peril?: string;
    incidentDate?: IsoDate;
    reportedDate?: IsoDate;
  },
) {
  const { row, loaded, terms } = await loadCase(tx, ctx, input.caseId);
  if (row.claim_id) throw new AppError("conflict", `case ${row.number} is already claim ${row.claim_id}`);
  const choices = perilChoices(terms.claimPerils, row.category);
  const peril = input.peril ?? (choices?.length === 1 ? choices[0] : undefined);
  if (!peril)
    throw new ValidationError([
      { path: "peril", message: `choose the peril${choices ? `: one of ${choices.join(", ")}` : ""}` },
    ]);
  if (choices && !choices.includes(peril))
    throw new ValidationError([
      { path: "peril", message: `a ${row.category} case becomes ${choices.join(" or ")}, not ${peril}` },
    ]);
  const opened = dateIn(row.opened_at, loaded.product.timeZone);
  const { claim, decision } = await fileClaim(
    tx,
    ctx,
    {
      policyId: row.policy_id,
      reference: row.number,
      peril,
      incidentDate: input.incidentDate ?? opened,
      reportedDate: input.reportedDate ?? dateIn(ctx.now, loaded.product.timeZone),
      losses: input.losses,
      facts: { ...input.facts, helplineCase: row.id },
    },
    { loaded },
  );
  const updated = await updateCase(
    tx,
    ctx,
    row,
    { claim_id: claim.id },
    { audit: { action: "assistance.case_claimed", after: { claimId: claim.id, claimNumber: claim.number } } },
  );
  return { case: updated, claim, decision };
}
