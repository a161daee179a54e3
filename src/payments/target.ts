import type { Tx } from "../db/schema.ts";
import { type PayeeAccount, payeeAccount } from "./accounts.ts";
import { isAccountReason } from "./failures.ts";
import type { PayoutKind, PayoutStatus } from "./model.ts";

interface PayoutForTarget {
  policy_id: string;
  kind: PayoutKind;
  status: PayoutStatus;
  reject_reason: string | null;
  failed_at: Date | null;
  overpayment_id: number | null;
}

/**
 * Where a payout goes in the next file: null when there is no account at all, "awaiting_account"
 * when the bank refused the last attempt for an account reason and no account was set since.
 * An overpayment goes back to the account it came from (the camt.054's DbtrAcct) unless that
 * account failed; everything else goes to the payout account, else the active mandate's.
 */
export async function payoutTarget(
  tx: Tx,
  p: PayoutForTarget,
): Promise<PayeeAccount | null | "awaiting_account"> {
  const accountFailed = p.status !== "pending" && isAccountReason(p.reject_reason);
  if (accountFailed) {
    const given = await tx
      .selectFrom("payout_accounts")
      .selectAll()
      .where("policy_id", "=", p.policy_id)
      .executeTakeFirst();
    if (!given || (p.failed_at !== null && given.created_at.getTime() < p.failed_at.getTime())) {
      return "awaiting_account";
    }
    return { name: given.account_holder, iban: given.iban, bic: given.bic, source: "payout_account" };
  }
  if (p.overpayment_id !== null) {
    const o = await tx
      .selectFrom("overpayments as o")
      .innerJoin("policies as pol", "pol.id", "o.policy_id")
      .innerJoin("parties as pa", "pa.id", "pol.party_id")
      .select(["o.payer_name", "o.payer_iban", "pa.name as holder"])
      .where("o.id", "=", p.overpayment_id)
      .executeTakeFirstOrThrow();
    if (o.payer_iban) {
      return { name: o.payer_name ?? o.holder, iban: o.payer_iban, bic: null, source: "payout_account" };
    }
  }
  return payeeAccount(tx, p.policy_id);
}
