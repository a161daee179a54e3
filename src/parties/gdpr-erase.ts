import { createHash } from "node:crypto";
import { Temporal } from "@js-temporal/polyfill";
import { recordAudit } from "../audit/service.ts";
import { maskIban } from "../billing/mandates.ts";
import type { Tx } from "../db/schema.ts";
import { forgetUserPrincipals } from "../identity/service.ts";
import type { Ctx } from "../shared/context.ts";
import { AppError, NotFoundError } from "../shared/errors.ts";

const ERASED = "[erased]";

/** A stable stand-in for the party in the kept records: the same party always gets the same one. */
export function pseudonym(partyId: string): string {
  return `erased-${createHash("sha256").update(partyId).digest("hex").slice(0, 12)}`;
}

/** Replaces every occurrence of the erased values inside a stored JSON image (audit before/after). */
function scrub(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === "string") return secrets.reduce((s, x) => s.split(x).join(ERASED), value);
  if (Array.isArray(value)) return value.map((v) => scrub(v, secrets));
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v, secrets)]));
  return value;
}

function todayUtc(ctx: Ctx): string {
  return Temporal.Instant.fromEpochMilliseconds(ctx.now.getTime())
    .toZonedDateTimeISO("UTC")
    .toPlainDate()
    .toString();
}

/**
 * Erases a former policyholder's personal data (GDPR art. 17) while keeping what the law makes
 * the insurer keep: policies, claims, decisions, premium and ledger records stay, pseudonymised.
 * Refused while a policy still runs or a claim is still being handled.
 */
export async function erasePersonalData(tx: Tx, ctx: Ctx, input: { partyId: string }) {
  const party = await tx
    .selectFrom("parties")
    .selectAll()
    .where("id", "=", input.partyId)
    .forUpdate()
    .executeTakeFirst();
  if (!party) throw new NotFoundError("party", input.partyId);
  if (party.erased_at)
    throw new AppError("erasure_not_allowed", "this party's personal data is already erased");
  const today = todayUtc(ctx);
  const policies = await tx
    .selectFrom("policies")
    .select(["id", "number", "end_date"])
    .where("party_id", "=", party.id)
    .execute();
  const running = policies.filter((p) => p.end_date === null || p.end_date > today);
  if (running.length > 0)
    throw new AppError(
      "erasure_not_allowed",
      `policy ${running.map((p) => p.number).join(", ")} still runs; erase only a former policyholder`,
    );
  const policyIds =
    policies.length > 0 ? policies.map((p) => p.id) : ["00000000-0000-0000-0000-000000000000"];
  const open = await tx
    .selectFrom("claims")
    .select("number")
    .where("policy_id", "in", policyIds)
    .where("status", "in", ["new", "needs_information", "referred"])
    .execute();
  if (open.length > 0)
    throw new AppError(
      "erasure_not_allowed",
      `claim ${open.map((c) => c.number).join(", ")} is still being handled`,
    );

  const moving = await tx
    .selectFrom("payouts")
    .select("id")
    .where("policy_id", "in", policyIds)
    // Rejected and returned payouts are owed and go out again: still on their way.
    .where("status", "in", ["pending", "exported", "rejected", "returned"])
    .execute();
  if (moving.length > 0)
    throw new AppError(
      "erasure_not_allowed",
      "a payout to this policyholder is still on its way; erase after it executed",
    );

  const mandates = await tx
    .selectFrom("sepa_mandates")
    .select(["id", "iban", "account_holder"])
    .where("policy_id", "in", policyIds)
    .execute();
  const users = await tx
    .selectFrom("users")
    .select(["id", "email"])
    .where("party_id", "=", party.id)
    .execute();
  const accounts = await tx
    .selectFrom("payout_accounts")
    .select(["policy_id", "iban", "account_holder"])
    .where("policy_id", "in", policyIds)
    .execute();
  const secrets = [
    party.name,
    party.email,
    party.phone,
    ...mandates.flatMap((m) => [m.iban, m.account_holder]),
    ...users.map((u) => u.email),
    ...accounts.flatMap((a) => [a.iban, a.account_holder]),
    ...Object.values(party.address ?? {}),
  ]
    .filter((s): s is string => typeof s === "string" && s.length >= 3)
    // Longest first, so "Alice Aalders" is replaced before a shorter value inside it.
    .sort((a, b) => b.length - a.length);

  const alias = pseudonym(party.id);
  await tx
    .updateTable("parties")
    .set({ name: alias, email: null, phone: null, birth_date: null, address: null, erased_at: ctx.now })
    .where("id", "=", party.id)
    .execute();
  for (const m of mandates) {
    await tx
      .updateTable("sepa_mandates")
      .set({ iban: maskIban(m.iban), account_holder: alias })
      .where("id", "=", m.id)
      .execute();
  }
  await tx
    .updateTable("sepa_mandates")
    .set({ revoked_on: today })
    .where("policy_id", "in", policyIds)
    .where("revoked_on", "is", null)
    .execute();
  for (const a of accounts) {
    await tx
      .updateTable("payout_accounts")
      .set({ iban: maskIban(a.iban), account_holder: alias })
      .where("policy_id", "=", a.policy_id)
      .execute();
  }
  // Executed transfers stay as accounting records, with the payee pseudonymised and the IBAN masked.
  const paid = await tx
    .selectFrom("payouts")
    .select(["id", "iban"])
    .where("policy_id", "in", policyIds)
    .execute();
  for (const p of paid) {
    await tx
      .updateTable("payouts")
      .set({ payee_name: alias, iban: p.iban ? maskIban(p.iban) : null })
      .where("id", "=", p.id)
      .execute();
  }
  // Money received from this policyholder's account and paid back: the payer pseudonymised too.
  const overpaid = await tx
    .selectFrom("overpayments")
    .select(["id", "payer_iban"])
    .where("policy_id", "in", policyIds)
    .execute();
  for (const o of overpaid) {
    await tx
      .updateTable("overpayments")
      .set({ payer_name: alias, payer_iban: o.payer_iban ? maskIban(o.payer_iban) : null })
      .where("id", "=", o.id)
      .execute();
  }
  const letters = await tx
    .selectFrom("premium_letters")
    .select(["id", "body"])
    .where("policy_id", "in", policyIds)
    .execute();
  for (const l of letters) {
    await tx
      .updateTable("premium_letters")
      .set({ recipient: alias, body: String(scrub(l.body, secrets)) })
      .where("id", "=", l.id)
      .execute();
  }
  // Evidence files (screenshots, letters) are personal data; the metadata and hash stay as the record.
  await tx
    .updateTable("claim_evidence")
    .set({ content: null, erased_at: ctx.now })
    .where("policy_id", "in", policyIds)
    .where("content", "is not", null)
    .execute();
  await tx
    .updateTable("claim_lines")
    .set({ description: null })
    .where("policy_id", "in", policyIds)
    .execute();
  const userIds = users.map((u) => u.id);
  if (userIds.length > 0) {
    for (const u of users) {
      await tx
        .updateTable("users")
        .set({
          email: `${u.id}@erased.invalid`,
          display_name: alias,
          password_hash: "!erased",
          disabled_at: ctx.now,
        })
        .where("id", "=", u.id)
        .execute();
    }
    // Cached principals of this process go now; other processes drop them within the cache TTL.
    for (const id of userIds) forgetUserPrincipals(id);
    await tx.deleteFrom("sessions").where("user_id", "in", userIds).execute();
    await tx
      .updateTable("api_tokens")
      .set({ revoked_at: ctx.now })
      .where("user_id", "in", userIds)
      .where("revoked_at", "is", null)
      .execute();
    // Stored responses replay what the user once saw, personal data included.
    await tx
      .deleteFrom("idempotency_keys")
      .where(
        "principal",
        "in",
        userIds.map((id) => `user:${id}`),
      )
      .execute();
  }
  const audit = await tx
    .selectFrom("audit_log")
    .select(["id", "before", "after"])
    .where((eb) => eb.or([eb("policy_id", "in", policyIds), eb("entity_id", "in", [party.id, ...userIds])]))
    .execute();
  for (const a of audit) {
    const before = a.before === null ? null : scrub(a.before, secrets);
    const after = a.after === null ? null : scrub(a.after, secrets);
    if (
      JSON.stringify(before) === JSON.stringify(a.before) &&
      JSON.stringify(after) === JSON.stringify(a.after)
    )
      continue;
    await tx
      .updateTable("audit_log")
      .set({
        before: before === null ? null : JSON.stringify(before),
        after: after === null ? null : JSON.stringify(after),
      })
      .where("id", "=", a.id)
      .execute();
  }
  await recordAudit(tx, ctx, {
    action: "party.erased",
    entityType: "party",
    entityId: party.id,
    after: {
      pseudonym: alias,
      policies: policies.map((p) => p.number),
      mandates: mandates.length,
      users: users.length,
    },
  });
  return { partyId: party.id, pseudonym: alias, erasedAt: ctx.now, policies: policies.map((p) => p.number) };
}
