import { maskIban } from "../billing/index.ts";
import type { Tx } from "../db/schema.ts";
import type { ErasureScope } from "../shared/erasure.ts";
import { pseudonymisePayees } from "./store.ts";

/** Payouts still on their way (rejected and returned ones are owed and go out again). */
export async function payoutsOnTheirWay(tx: Tx, policyIds: readonly string[]): Promise<number> {
  if (policyIds.length === 0) return 0;
  const moving = await tx
    .selectFrom("payouts")
    .select("id")
    .where("policy_id", "in", policyIds)
    .where("status", "in", ["pending", "exported", "rejected", "returned"])
    .execute();
  return moving.length;
}

/** Names and IBANs the party was paid to or paid from: values to erase wherever they were copied. */
export async function paymentsPersonalValues(tx: Tx, policyIds: readonly string[]): Promise<string[]> {
  if (policyIds.length === 0) return [];
  const [accounts, payouts, overpaid] = await Promise.all([
    tx
      .selectFrom("payout_accounts")
      .select(["iban", "account_holder"])
      .where("policy_id", "in", policyIds)
      .execute(),
    tx.selectFrom("payouts").select(["iban", "payee_name"]).where("policy_id", "in", policyIds).execute(),
    tx
      .selectFrom("overpayments")
      .select(["payer_iban", "payer_name"])
      .where("policy_id", "in", policyIds)
      .execute(),
  ]);
  return [
    ...accounts.flatMap((a) => [a.iban, a.account_holder]),
    ...payouts.flatMap((p) => [p.iban, p.payee_name]),
    ...overpaid.flatMap((o) => [o.payer_iban, o.payer_name]),
  ].filter((v): v is string => v !== null);
}

/**
 * The payments module's part of erasing a party. Executed transfers and money received stay as
 * bookkeeping records (amount, date, end-to-end id, batch), with the payee or payer pseudonymised
 * and the IBAN masked: enough to match a bank statement, not to identify the person.
 */
export async function erasePaymentsPartyData(tx: Tx, scope: ErasureScope): Promise<void> {
  const ids = scope.policyIds;
  if (ids.length === 0) return;
  const accounts = await tx
    .selectFrom("payout_accounts")
    .select(["policy_id", "iban"])
    .where("policy_id", "in", ids)
    .execute();
  for (const a of accounts) {
    await tx
      .updateTable("payout_accounts")
      .set({ iban: maskIban(a.iban), account_holder: scope.alias })
      .where("policy_id", "=", a.policy_id)
      .execute();
  }
  await pseudonymisePayees(tx, ids, scope.alias, maskIban);
  // A bank's reason can carry free text (pain.002 AddtlInf).
  const attempts = await tx
    .selectFrom("payout_attempts")
    .innerJoin("payouts", "payouts.id", "payout_attempts.payout_id")
    .select(["payout_attempts.payout_id", "payout_attempts.attempt", "payout_attempts.reason"])
    .where("payouts.policy_id", "in", ids)
    .execute();
  for (const a of attempts) {
    const reason = scope.own.text(a.reason);
    if (reason === a.reason) continue;
    await tx
      .updateTable("payout_attempts")
      .set({ reason })
      .where("payout_id", "=", a.payout_id)
      .where("attempt", "=", a.attempt)
      .execute();
  }
  const overpaid = await tx
    .selectFrom("overpayments")
    .select(["id", "payer_iban"])
    .where("policy_id", "in", ids)
    .execute();
  for (const o of overpaid) {
    await tx
      .updateTable("overpayments")
      .set({ payer_name: scope.alias, payer_iban: o.payer_iban === null ? null : maskIban(o.payer_iban) })
      .where("id", "=", o.id)
      .execute();
  }
}
