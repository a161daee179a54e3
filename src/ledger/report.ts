import { sql } from "kysely";
import type { Tx } from "../db/schema.ts";
import { type Cents, formatAmount } from "../shared/money.ts";

export interface MonthRow {
  month: string;
  /** Premium and surcharge income net of credit notes and refunds, by posting date. */
  writtenPremium: Cents;
  surcharge: Cents;
  /** Premium collected into the bank account. */
  collected: Cents;
  /** Premium receivable at the end of the month. */
  outstanding: Cents;
  /** Claim payouts executed, net of transfers the payee's bank returned (a lowered claim is no payout). */
  claimsPaid: Cents;
  /** Refunds granted to policyholders (credits of refunds payable; a returned refund is not a new one). */
  refunds: Cents;
  /** Claims approved under the cover, net of lowerings (claims expense). */
  claimsIncurred: Cents;
  /** Goodwill paid beyond the cover (ex-gratia overrides), reported apart from claims incurred. */
  exGratia: Cents;
}

const COLUMNS = [
  "month",
  "written_premium",
  "surcharge",
  "collected",
  "outstanding",
  "claims_paid",
  "refunds",
  "claims_incurred",
  "ex_gratia",
];

/** The monthly finance report, rebuilt from journal lines only (so it reconciles with the ledger). */
export async function monthlyReport(tx: Tx, range: { from?: string; to?: string } = {}): Promise<MonthRow[]> {
  const rows = await sql<{
    month: string;
    premium: number;
    surcharge: number;
    collected: number;
    receivable: number;
    claims_paid: number;
    refunds: number;
    claims_expense: number;
    ex_gratia: number;
  }>`
    select to_char(e.posted_on, 'YYYY-MM') as month,
      coalesce(-sum(l.amount_cents) filter (where l.account = 'premium_income'), 0)::int8 as premium,
      coalesce(-sum(l.amount_cents) filter (where l.account = 'surcharge_income'), 0)::int8 as surcharge,
      coalesce(sum(l.amount_cents) filter (where l.account = 'bank' and e.kind = 'collection'), 0)::int8 as collected,
      coalesce(sum(l.amount_cents) filter (where l.account = 'premium_receivable'), 0)::int8 as receivable,
      coalesce(sum(l.amount_cents) filter (where l.account = 'claims_payable'
                                            and e.kind in ('claim_payout', 'claim_payout_returned')), 0)::int8 as claims_paid,
      coalesce(-sum(l.amount_cents) filter (where l.account = 'refunds_payable' and l.amount_cents < 0
                                             and e.kind <> 'refund_payout_returned'), 0)::int8 as refunds,
      coalesce(sum(l.amount_cents) filter (where l.account = 'claims_expense'), 0)::int8 as claims_expense,
      coalesce(sum(l.amount_cents) filter (where l.account = 'ex_gratia_expense'), 0)::int8 as ex_gratia
    from journal_lines l join journal_entries e on e.id = l.entry_id
    group by 1 order by 1`.execute(tx);
  let outstanding = 0;
  const out: MonthRow[] = [];
  for (const r of rows.rows) {
    // Outstanding is a running balance, so months before `from` still count towards it.
    outstanding += r.receivable;
    if ((range.from && r.month < range.from) || (range.to && r.month > range.to)) continue;
    out.push({
      month: r.month,
      writtenPremium: r.premium,
      surcharge: r.surcharge,
      collected: r.collected,
      outstanding,
      claimsPaid: r.claims_paid,
      refunds: r.refunds,
      claimsIncurred: Number(r.claims_expense),
      exGratia: Number(r.ex_gratia),
    });
  }
  return out;
}

export function reportCsv(rows: readonly MonthRow[]): string {
  const lines = [COLUMNS.join(",")];
  for (const r of rows) {
    lines.push(
      [
        r.month,
        formatAmount(r.writtenPremium),
        formatAmount(r.surcharge),
        formatAmount(r.collected),
        formatAmount(r.outstanding),
        formatAmount(r.claimsPaid),
        formatAmount(r.refunds),
        formatAmount(r.claimsIncurred),
        formatAmount(r.exGratia),
      ].join(","),
    );
  }
  return `${lines.join("\n")}\n`;
}
