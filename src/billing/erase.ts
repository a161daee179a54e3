import type { Tx } from "../db/schema.ts";
import type { ErasureScope } from "../shared/erasure.ts";
import { maskIban } from "./mandates.ts";

/** The account holders and IBANs of the party's mandates: values to erase wherever they were copied. */
export async function billingPersonalValues(tx: Tx, policyIds: readonly string[]): Promise<string[]> {
  if (policyIds.length === 0) return [];
  const mandates = await tx
    .selectFrom("sepa_mandates")
    .select(["iban", "account_holder"])
    .where("policy_id", "in", policyIds)
    .execute();
  return mandates.flatMap((m) => [m.iban, m.account_holder]);
}

/**
 * The billing module's part of erasing a party. Invoices, charges, batches and bank-import rows
 * hold amounts, dates and references only and stay as bookkeeping records (NL: art. 2:10 BW and
 * art. 52 AWR, 7 years; BE: art. III.86 WER, 10 years). A mandate must be kept as long as the
 * collections it authorised can be disputed, so it stays pseudonymised: the alias as account
 * holder, the IBAN masked, the consent text with the party's values cut out, revoked from today.
 * A letter stays as proof it was sent (a formal notice starts a suspension), addressed to the alias.
 */
export async function eraseBillingPartyData(tx: Tx, scope: ErasureScope): Promise<void> {
  const ids = scope.policyIds;
  if (ids.length === 0) return;
  const mandates = await tx
    .selectFrom("sepa_mandates")
    .select(["id", "iban", "consent_text"])
    .where("policy_id", "in", ids)
    .execute();
  for (const m of mandates) {
    await tx
      .updateTable("sepa_mandates")
      .set({
        iban: maskIban(m.iban),
        account_holder: scope.alias,
        consent_text: scope.own.text(m.consent_text),
      })
      .where("id", "=", m.id)
      .execute();
  }
  await tx
    .updateTable("sepa_mandates")
    .set({ revoked_on: scope.today })
    .where("policy_id", "in", ids)
    .where("revoked_on", "is", null)
    .execute();
  const letters = await tx
    .selectFrom("premium_letters")
    .select(["id", "subject", "body"])
    .where("policy_id", "in", ids)
    .execute();
  for (const l of letters) {
    await tx
      .updateTable("premium_letters")
      .set({ recipient: scope.alias, subject: scope.own.text(l.subject), body: scope.own.text(l.body) })
      .where("id", "=", l.id)
      .execute();
  }
}
