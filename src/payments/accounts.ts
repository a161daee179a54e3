import { isValidBIC } from "ibantools";
import { recordAudit } from "../audit/index.ts";
import { maskIban, normaliseIban } from "../billing/index.ts";
import type { Tx } from "../db/schema.ts";
import type { Ctx } from "../shared/context.ts";
import { NotFoundError, ValidationError } from "../shared/errors.ts";

export interface PayeeAccount {
  name: string;
  iban: string;
  bic: string | null;
  source: "payout_account" | "mandate";
}

/** Registers the account a policyholder wants payouts on; it wins over the mandate's account. */
export async function setPayoutAccount(
  tx: Tx,
  ctx: Ctx,
  input: { policyId: string; accountHolder: string; iban: string; bic?: string | null },
) {
  const iban = normaliseIban(input.iban);
  const bic = input.bic ? input.bic.replace(/\s+/g, "").toUpperCase() : null;
  if (bic && !isValidBIC(bic)) throw new ValidationError([{ path: "bic", message: "is not a valid BIC" }]);
  const holder = input.accountHolder.trim();
  if (holder === "") throw new ValidationError([{ path: "accountHolder", message: "is required" }]);
  const policy = await tx
    .selectFrom("policies")
    .select("id")
    .where("id", "=", input.policyId)
    .executeTakeFirst();
  if (!policy) throw new NotFoundError("policy", input.policyId);
  await tx
    .insertInto("payout_accounts")
    .values({ policy_id: policy.id, account_holder: holder, iban, bic, created_at: ctx.now })
    .onConflict((oc) =>
      oc.column("policy_id").doUpdateSet({ account_holder: holder, iban, bic, created_at: ctx.now }),
    )
    .execute();
  await recordAudit(tx, ctx, {
    action: "payout_account.set",
    entityType: "policy",
    entityId: policy.id,
    policyId: policy.id,
    after: { accountHolder: holder, iban: maskIban(iban) },
  });
}

/** Where a payout to the policy goes: the payout account given, else the active mandate's account. */
export async function payeeAccount(tx: Tx, policyId: string): Promise<PayeeAccount | null> {
  const given = await tx
    .selectFrom("payout_accounts")
    .selectAll()
    .where("policy_id", "=", policyId)
    .executeTakeFirst();
  if (given)
    return { name: given.account_holder, iban: given.iban, bic: given.bic, source: "payout_account" };
  const mandate = await tx
    .selectFrom("sepa_mandates")
    .select(["account_holder", "iban", "bic"])
    .where("policy_id", "=", policyId)
    .where("revoked_on", "is", null)
    .executeTakeFirst();
  if (!mandate) return null;
  return { name: mandate.account_holder, iban: mandate.iban, bic: mandate.bic, source: "mandate" };
}
