import { sql } from "kysely";
import type { Tx } from "../db/schema.ts";
import type { Cents } from "../shared/money.ts";
import type { AccountCode } from "./tables.ts";

export interface SubledgerBalance {
  account: AccountCode;
  /** The account's balance rebuilt from journal lines (credit balances are negative). */
  ledger: Cents;
  /** The same balance from the detail rows that the account summarises. */
  subledger: Cents;
}

/**
 * Each summarised account against its detail rows:
 * - premium receivable: open invoice amounts, credit notes, and charges not yet collected;
 * - claims payable: claim payouts accrued and not executed (a lowered payout's reduction and a
 *   cancelled payout are reversed in the ledger too);
 * - refunds payable: refund adjustments less the refund payouts executed;
 * - overpayments: money received and not owed, less what was paid back.
 * A payout the bank returned is owed again, so it counts like one never executed.
 */
export async function subledgerBalances(tx: Tx): Promise<Omit<SubledgerBalance, "ledger">[]> {
  const r = await sql<{ receivable: number; claims: number; refunds: number; overpayments: number }>`
    select
      ((select coalesce(sum(amount_cents - paid_cents), 0) from invoices)
        + (select coalesce(sum(amount_cents), 0) from billing_adjustments where kind <> 'refund')
        - (select coalesce(sum(paid_cents), 0) from charge_collections))::int8 as receivable,
      (-(select coalesce(sum(amount_cents), 0) from payouts
         where kind = 'claim' and status not in ('executed', 'cancelled')))::int8 as claims,
      ((select coalesce(sum(amount_cents), 0) from billing_adjustments where kind = 'refund')
        + (select coalesce(sum(amount_cents), 0) from payouts where kind = 'refund' and status = 'executed'))::int8 as refunds,
      ((select coalesce(sum(amount_cents), 0) from payouts where kind = 'overpayment' and status = 'executed')
        - (select coalesce(sum(amount_cents), 0) from overpayments))::int8 as overpayments`.execute(tx);
  const row = r.rows[0]!;
  return [
    { account: "premium_receivable", subledger: row.receivable },
    { account: "claims_payable", subledger: row.claims },
    { account: "refunds_payable", subledger: row.refunds },
    { account: "overpayments", subledger: row.overpayments },
  ];
}
