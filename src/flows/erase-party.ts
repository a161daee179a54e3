import { createHash } from "node:crypto";
import { Temporal } from "@js-temporal/polyfill";
import { eraseAssistancePartyData } from "../assistance/index.ts";
import { eraseAuditPartyData, recordAudit } from "../audit/index.ts";
import { billingPersonalValues, eraseBillingPartyData } from "../billing/index.ts";
import { claimsInHandling, eraseClaimsPartyData } from "../claims/index.ts";
import type { Tx } from "../db/schema.ts";
import { eraseDocumentsPartyData } from "../documents/index.ts";
import { eraseIdempotencyPartyData } from "../idempotency/index.ts";
import { eraseIdentityPartyData, partyUsers } from "../identity/index.ts";
import { erasePartyRow, lockParty } from "../parties/index.ts";
import { erasePaymentsPartyData, paymentsPersonalValues, payoutsOnTheirWay } from "../payments/index.ts";
import { partyPolicies } from "../policies/index.ts";
import type { Ctx } from "../shared/context.ts";
import { type ErasureScope, redactor } from "../shared/erasure.ts";
import { AppError, NotFoundError } from "../shared/errors.ts";

/** A stable stand-in for the party in the kept records: the same party always gets the same one. */
export function pseudonym(partyId: string): string {
  return `erased-${createHash("sha256").update(partyId).digest("hex").slice(0, 12)}`;
}

function todayUtc(now: Date): string {
  return Temporal.Instant.fromEpochMilliseconds(now.getTime())
    .toZonedDateTimeISO("UTC")
    .toPlainDate()
    .toString();
}

/**
 * Erases a former policyholder's personal data (GDPR art. 17) in one transaction.
 *
 * What stays, and why (art. 17(3)(b) and (e): a legal obligation, and legal claims):
 * - bookkeeping (NL art. 2:10 BW and art. 52 AWR, 7 years; BE art. III.86 WER, 10 years): policies,
 *   invoices, charges, payments, payouts, overpayments, bank batches and imports, the ledger —
 *   amounts, dates, references, end-to-end ids, with names replaced by the pseudonym and IBANs
 *   masked (first four and last four characters, enough to match a bank statement);
 * - the claim record while a claim can be disputed (NL art. 7:942 BW, BE art. 88 Wet
 *   Verzekeringen): claims, lines, decisions with their explanations, overrides, referrals and
 *   evidence hashes; staff's reasons keep their wording without the party's values;
 * - letters, as proof they were sent, addressed to the pseudonym; the audit log, without the
 *   party's values.
 * What goes: the party's contact and identity data, logins, sessions, token labels, what the
 *   policyholder typed (claim references, fact texts, loss descriptions), evidence files and their
 *   names, and every copy of the name, e-mail, phone and IBANs in stored texts and responses.
 * Bank files already written to disk are the bank's instructions and outside the database; the
 *   operator's retention of them is stated in src/parties/README.md.
 *
 * Refused while a policy still runs, a claim is being handled or a payout is on its way: each of
 * those still needs the person.
 *
 * Order: lock the party, check, collect the values to erase from every module before any of them
 * is changed (a mandate's IBAN is needed to find its copies elsewhere), then erase module by module
 * — claims, billing, payments, identity, idempotency, the party row — and the audit log last;
 * the erasure's own entry, holding no personal data, comes after it.
 */
export async function erasePersonalData(tx: Tx, ctx: Ctx, input: { partyId: string }) {
  const party = await lockParty(tx, input.partyId);
  if (!party) throw new NotFoundError("party", input.partyId);
  if (party.erased_at)
    throw new AppError("erasure_not_allowed", "this party's personal data is already erased");
  const today = todayUtc(ctx.now);
  const policies = await partyPolicies(tx, party.id);
  const running = policies.filter((p) => p.end_date === null || p.end_date > today);
  if (running.length > 0)
    throw new AppError(
      "erasure_not_allowed",
      `policy ${running.map((p) => p.number).join(", ")} still runs; erase only a former policyholder`,
    );
  const policyIds = policies.map((p) => p.id);
  const open = await claimsInHandling(tx, policyIds);
  if (open.length > 0)
    throw new AppError("erasure_not_allowed", `claim ${open.join(", ")} is still being handled`);
  if ((await payoutsOnTheirWay(tx, policyIds)) > 0)
    throw new AppError(
      "erasure_not_allowed",
      "a payout to this policyholder is still on its way; erase after it executed",
    );

  const users = await partyUsers(tx, party.id);
  const identifying = [
    party.name,
    party.email,
    party.phone,
    ...users.values,
    ...(await billingPersonalValues(tx, policyIds)),
    ...(await paymentsPersonalValues(tx, policyIds)),
  ];
  const scope: ErasureScope = {
    partyId: party.id,
    policyIds,
    userIds: users.userIds,
    alias: pseudonym(party.id),
    own: redactor([...identifying, ...Object.values(party.address ?? {}), party.birth_date]),
    identifying: redactor(identifying),
    now: ctx.now,
    today,
  };
  await eraseClaimsPartyData(tx, scope);
  await eraseAssistancePartyData(tx, scope);
  await eraseBillingPartyData(tx, scope);
  await erasePaymentsPartyData(tx, scope);
  await eraseDocumentsPartyData(tx, scope);
  await eraseIdentityPartyData(tx, ctx, scope);
  await eraseIdempotencyPartyData(tx, scope);
  await erasePartyRow(tx, scope);
  await eraseAuditPartyData(tx, scope);
  await recordAudit(tx, ctx, {
    action: "party.erased",
    entityType: "party",
    entityId: party.id,
    after: {
      pseudonym: scope.alias,
      policies: policies.map((p) => p.number),
      users: users.userIds.length,
    },
  });
  return {
    partyId: party.id,
    pseudonym: scope.alias,
    erasedAt: ctx.now,
    policies: policies.map((p) => p.number),
  };
}
