import { sql } from "kysely";
import type { Tx } from "../db/schema.ts";
import type { Cents } from "../shared/money.ts";
import { type SubledgerBalance, subledgerBalances } from "./subledgers.ts";
import type { AccountCode } from "./tables.ts";

export interface LedgerCheck {
  ok: boolean;
  entries: number;
  lines: number;
  /** Sum of every line ever posted: zero in a double-entry ledger. */
  total: Cents;
  unbalancedEntries: { entryId: number; sum: Cents }[];
  /** Balances rebuilt from the lines, next to the running balances kept at posting. */
  balances: { account: AccountCode; rebuilt: Cents; stored: Cents }[];
  /** The receivable account against the invoice subledger (invoices, payments, corrections). */
  receivable: { ledger: Cents; subledger: Cents };
  /** Every summarised account (receivable, claims/refunds payable, overpayments) against its detail. */
  subledgers: SubledgerBalance[];
  problems: string[];
}

/**
 * Proves the ledger: every entry sums to zero, all lines sum to zero, each running balance equals
 * the balance rebuilt from the lines, premium receivable equals what the invoices and charges say
 * is open, and each payable equals what its payouts say is owed (subledgers.ts).
 * With `repair`, stored balances are replaced by the rebuilt ones (after reporting the difference).
 */
export async function checkLedger(tx: Tx, opts: { repair?: boolean } = {}): Promise<LedgerCheck> {
  const counts = await sql<{ entries: number; lines: number; total: number }>`
    select (select count(*) from journal_entries)::int8 as entries,
           (select count(*) from journal_lines)::int8 as lines,
           (select coalesce(sum(amount_cents), 0) from journal_lines)::int8 as total`.execute(tx);
  const { entries, lines, total } = counts.rows[0]!;
  const unbalanced = await sql<{ entry_id: number; sum: number }>`
    select e.id as entry_id, coalesce(sum(l.amount_cents), 0)::int8 as sum
    from journal_entries e left join journal_lines l on l.entry_id = e.id
    group by e.id
    having coalesce(sum(l.amount_cents), 0) <> 0 or count(l.entry_id) < 2
    order by e.id limit 100`.execute(tx);
  const balances = await sql<{ account: AccountCode; rebuilt: number; stored: number }>`
    select a.code as account,
           coalesce((select sum(l.amount_cents) from journal_lines l where l.account = a.code), 0)::int8 as rebuilt,
           coalesce((select b.balance_cents from ledger_balances b where b.account = a.code), 0)::int8 as stored
    from ledger_accounts a order by a.code`.execute(tx);
  const rebuilt = (account: AccountCode) => balances.rows.find((b) => b.account === account)?.rebuilt ?? 0;
  const subledgers = (await subledgerBalances(tx)).map((s) => ({ ...s, ledger: rebuilt(s.account) }));
  const receivable = subledgers.find((s) => s.account === "premium_receivable")!;
  const problems: string[] = [];
  if (total !== 0) problems.push(`all journal lines sum to ${total}, not 0`);
  for (const u of unbalanced.rows)
    problems.push(`journal entry ${u.entry_id} sums to ${u.sum} or has < 2 lines`);
  for (const b of balances.rows) {
    if (b.rebuilt !== b.stored) {
      problems.push(`balance of ${b.account}: stored ${b.stored}, rebuilt from entries ${b.rebuilt}`);
    }
  }
  if (receivable.ledger !== receivable.subledger) {
    problems.push(
      `premium_receivable ${receivable.ledger} differs from the open invoices and corrections ${receivable.subledger}`,
    );
  }
  for (const s of subledgers) {
    if (s.account !== "premium_receivable" && s.ledger !== s.subledger) {
      problems.push(`${s.account} ${s.ledger} differs from what its payouts say is owed ${s.subledger}`);
    }
  }
  if (opts.repair) {
    await sql`
      insert into ledger_balances (account, balance_cents, updated_at)
      select a.code, coalesce((select sum(l.amount_cents) from journal_lines l where l.account = a.code), 0), now()
      from ledger_accounts a
      on conflict (account) do update set balance_cents = excluded.balance_cents, updated_at = excluded.updated_at`.execute(
      tx,
    );
  }
  return {
    ok: problems.length === 0,
    entries,
    lines,
    total,
    unbalancedEntries: unbalanced.rows.map((u) => ({ entryId: u.entry_id, sum: u.sum })),
    balances: balances.rows,
    receivable: { ledger: receivable.ledger, subledger: receivable.subledger },
    subledgers,
    problems,
  };
}
