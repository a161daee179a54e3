import type { Tx } from "../db/schema.ts";
import type { Ctx } from "../shared/context.ts";
import { NotFoundError } from "../shared/errors.ts";

type Row = Record<string, unknown>;

/**
 * Everything the platform holds about one policyholder's household (GDPR art. 15 and 20), as
 * plain JSON: the party, their logins, policies, mandates, claims with facts, decisions and
 * evidence metadata (files are downloaded one by one), overrides, token labels, premium records
 * and what happened when.
 * Secrets (password hashes, token hashes) are not personal data to hand out and are left out.
 */
export async function exportPersonalData(tx: Tx, ctx: Ctx, input: { partyId: string }) {
  const party = await tx.selectFrom("parties").selectAll().where("id", "=", input.partyId).executeTakeFirst();
  if (!party) throw new NotFoundError("party", input.partyId);
  const policies = await tx
    .selectFrom("policies")
    .selectAll()
    .where("party_id", "=", party.id)
    .orderBy("created_at")
    .execute();
  const ids = policies.map((p) => p.id);
  // `in ()` is invalid SQL, so an impossible id stands in for "no policies".
  const policyIds = ids.length > 0 ? ids : ["00000000-0000-0000-0000-000000000000"];
  const [
    users,
    endorsements,
    mandates,
    claims,
    lines,
    facts,
    decisions,
    evidence,
    referrals,
    reminders,
    payments,
    suspensions,
    invoices,
    audit,
  ] = await Promise.all([
    tx
      .selectFrom("users")
      .select(["id", "email", "role", "display_name", "created_at", "disabled_at"])
      .where("party_id", "=", party.id)
      .execute(),
    tx.selectFrom("policy_endorsements").selectAll().where("policy_id", "in", policyIds).execute(),
    tx
      .selectFrom("sepa_mandates")
      .select([
        "id",
        "policy_id",
        "reference",
        "account_holder",
        "iban",
        "bic",
        "signed_on",
        "consent_text",
        "revoked_on",
        "created_at",
      ])
      .where("policy_id", "in", policyIds)
      .execute(),
    tx.selectFrom("claims").selectAll().where("policy_id", "in", policyIds).orderBy("created_at").execute(),
    tx.selectFrom("claim_lines").selectAll().where("policy_id", "in", policyIds).execute(),
    tx.selectFrom("claim_facts").selectAll().where("policy_id", "in", policyIds).orderBy("id").execute(),
    tx.selectFrom("claim_decisions").selectAll().where("policy_id", "in", policyIds).execute(),
    tx
      .selectFrom("claim_evidence")
      .select([
        "id",
        "claim_id",
        "kind",
        "file_name",
        "content_type",
        "size_bytes",
        "sha256",
        "uploaded_at",
        "erased_at",
      ])
      .where("policy_id", "in", policyIds)
      .execute(),
    tx
      .selectFrom("claim_referrals")
      .select(["id", "claim_id", "reason_text", "referred_at"])
      .where("policy_id", "in", policyIds)
      .execute(),
    tx.selectFrom("premium_reminders").selectAll().where("policy_id", "in", policyIds).execute(),
    tx.selectFrom("premium_payments").selectAll().where("policy_id", "in", policyIds).execute(),
    tx.selectFrom("premium_suspensions").selectAll().where("policy_id", "in", policyIds).execute(),
    tx.selectFrom("invoices").selectAll().where("policy_id", "in", policyIds).execute(),
    tx
      .selectFrom("audit_log")
      .select(["at", "action", "entity_type", "entity_id", "policy_id"])
      .where((eb) => eb.or([eb("policy_id", "in", policyIds), eb("entity_id", "=", party.id)]))
      .orderBy("id")
      .execute(),
  ]);
  const userIds = users.length > 0 ? users.map((u) => u.id) : ["00000000-0000-0000-0000-000000000000"];
  // Payout accounts, transfers and letters hold names, IBANs and addresses too; overrides and
  // token labels hold what staff and the policyholder wrote (staff ids are left out).
  const [payoutAccounts, payouts, letters, overpayments, charges, overrides, tokens] = await Promise.all([
    tx.selectFrom("payout_accounts").selectAll().where("policy_id", "in", policyIds).execute(),
    tx.selectFrom("payouts").selectAll().where("policy_id", "in", policyIds).execute(),
    tx.selectFrom("premium_letters").selectAll().where("policy_id", "in", policyIds).execute(),
    tx.selectFrom("overpayments").selectAll().where("policy_id", "in", policyIds).execute(),
    tx.selectFrom("charge_collections").selectAll().where("policy_id", "in", policyIds).execute(),
    tx
      .selectFrom("claim_overrides")
      .select([
        "id",
        "claim_id",
        "outcome",
        "payout_cents",
        "reason_text",
        "status",
        "requested_at",
        "reviewed_at",
        "review_note",
        "decision_sequence",
      ])
      .where("policy_id", "in", policyIds)
      .execute(),
    tx
      .selectFrom("api_tokens")
      .select(["id", "user_id", "label", "created_at", "expires_at", "revoked_at"])
      .where("user_id", "in", userIds)
      .execute(),
  ]);
  return {
    exportedAt: ctx.now.toISOString(),
    subject: { partyId: party.id },
    data: {
      party: [party],
      users,
      api_tokens: tokens,
      policies,
      policy_endorsements: endorsements,
      sepa_mandates: mandates,
      claims,
      claim_lines: lines,
      claim_facts: facts,
      claim_decisions: decisions,
      claim_evidence: evidence,
      claim_referrals: referrals,
      claim_overrides: overrides,
      premium_reminders: reminders,
      premium_payments: payments,
      premium_suspensions: suspensions,
      invoices,
      payout_accounts: payoutAccounts,
      payouts,
      premium_letters: letters,
      overpayments,
      charge_collections: charges,
      history: audit,
    } satisfies Record<string, Row[]>,
  };
}
