import type { Tx } from "../db/schema.ts";
import { ERASED, type ErasureScope } from "../shared/erasure.ts";

/** Claims still being handled: erasure waits for them (their handling needs the person). */
export async function claimsInHandling(tx: Tx, policyIds: readonly string[]): Promise<string[]> {
  if (policyIds.length === 0) return [];
  const open = await tx
    .selectFrom("claims")
    .select("number")
    .where("policy_id", "in", policyIds)
    .where("status", "in", ["new", "needs_information", "referred"])
    .execute();
  return open.map((c) => c.number);
}

/**
 * Facts keep what decided the claim (flags: `decideClaim` reads `true` only) and lose every text
 * or number the policyholder typed, which can be anything about anyone.
 */
function factsKept(facts: Record<string, unknown>, scope: ErasureScope): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(facts).map(([k, v]) => [scope.own.text(k), typeof v === "boolean" ? v : ERASED]),
  );
}

/**
 * The claims module's part of erasing a party. Claims, lines, decisions, overrides and referrals
 * stay: they are the insurance record the insurer keeps while a claim can still be disputed
 * (amounts, dates, outcomes, who decided). Gone: what the policyholder wrote (their reference,
 * fact texts, loss descriptions, evidence files and file names); staff's reasons stay as the
 * grounds of a decision, with the party's identifying values cut out. Only rows of the party's
 * policies are touched; every claims table carries `policy_id`.
 */
export async function eraseClaimsPartyData(tx: Tx, scope: ErasureScope): Promise<void> {
  const ids = scope.policyIds;
  if (ids.length === 0) return;
  const { own } = scope;
  const claims = await tx
    .selectFrom("claims")
    .select(["id", "facts"])
    .where("policy_id", "in", ids)
    .execute();
  for (const c of claims) {
    await tx
      .updateTable("claims")
      .set({ reference: null, facts: JSON.stringify(factsKept(c.facts, scope)) })
      .where("id", "=", c.id)
      .execute();
  }
  const supplied = await tx
    .selectFrom("claim_facts")
    .select(["id", "facts"])
    .where("policy_id", "in", ids)
    .execute();
  for (const f of supplied) {
    await tx
      .updateTable("claim_facts")
      .set({ facts: JSON.stringify(factsKept(f.facts, scope)) })
      .where("id", "=", f.id)
      .execute();
  }
  await tx.updateTable("claim_lines").set({ description: null }).where("policy_id", "in", ids).execute();
  const decisions = await tx
    .selectFrom("claim_decisions")
    .select(["claim_id", "sequence", "explanation", "reason_text"])
    .where("policy_id", "in", ids)
    .execute();
  for (const d of decisions) {
    await tx
      .updateTable("claim_decisions")
      .set({
        explanation: JSON.stringify(own.json(d.explanation)),
        reason_text: d.reason_text === null ? null : own.text(d.reason_text),
      })
      .where("claim_id", "=", d.claim_id)
      .where("sequence", "=", d.sequence)
      .execute();
  }
  const overrides = await tx
    .selectFrom("claim_overrides")
    .select(["id", "reason_text", "review_note"])
    .where("policy_id", "in", ids)
    .execute();
  for (const o of overrides) {
    await tx
      .updateTable("claim_overrides")
      .set({
        reason_text: own.text(o.reason_text),
        review_note: o.review_note === null ? null : own.text(o.review_note),
      })
      .where("id", "=", o.id)
      .execute();
  }
  const referrals = await tx
    .selectFrom("claim_referrals")
    .select(["id", "reason_text"])
    .where("policy_id", "in", ids)
    .execute();
  for (const r of referrals) {
    await tx
      .updateTable("claim_referrals")
      .set({ reason_text: own.text(r.reason_text) })
      .where("id", "=", r.id)
      .execute();
  }
  // Screenshots and letters are personal data through and through; size and hash stay as the record.
  await tx
    .updateTable("claim_evidence")
    .set({ content: null, file_name: ERASED, erased_at: scope.now })
    .where("policy_id", "in", ids)
    .where("erased_at", "is", null)
    .execute();
}
