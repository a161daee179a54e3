import type { Tx } from "../db/schema.ts";
import type { Ctx } from "../shared/context.ts";
import type { IsoDate } from "../shared/dates.ts";
import { type Cents, sum } from "../shared/money.ts";
import type { AccountCode } from "./tables.ts";

export interface JournalLine {
  account: AccountCode;
  /** Debit positive, credit negative. */
  amount: Cents;
}

export interface JournalEntryInput {
  postedOn: IsoDate;
  kind: string;
  /** Idempotency key: posting the same source twice posts once. */
  source: string;
  policyId?: string | null;
  description: string;
  lines: JournalLine[];
}

/** Adds lines per account and drops zeros, so an entry has one line per account it touches. */
function consolidate(lines: readonly JournalLine[]): JournalLine[] {
  const byAccount = new Map<AccountCode, Cents>();
  for (const l of lines) byAccount.set(l.account, (byAccount.get(l.account) ?? 0) + l.amount);
  return [...byAccount]
    .filter(([, amount]) => amount !== 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([account, amount]) => ({ account, amount }));
}

/**
 * Posts one balanced journal entry in the caller's transaction and moves the running balances.
 * Returns the entry id, or null when nothing was posted (all lines zero, or the source was posted
 * before). An unbalanced entry is a programming error, never data to store.
 */
export async function postEntry(tx: Tx, ctx: Ctx, entry: JournalEntryInput): Promise<number | null> {
  const lines = consolidate(entry.lines);
  if (sum(lines.map((l) => l.amount)) !== 0) {
    throw new Error(`journal entry ${entry.source} does not balance: ${JSON.stringify(lines)}`);
  }
  if (lines.length === 0) return null;
  const inserted = await tx
    .insertInto("journal_entries")
    .values({
      posted_on: entry.postedOn,
      kind: entry.kind,
      source: entry.source,
      policy_id: entry.policyId ?? null,
      description: entry.description,
      created_at: ctx.now,
    })
    .onConflict((oc) => oc.column("source").doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!inserted) return null;
  await tx
    .insertInto("journal_lines")
    .values(
      lines.map((l, i) => ({
        entry_id: inserted.id,
        line_no: i + 1,
        account: l.account,
        amount_cents: l.amount,
      })),
    )
    .execute();
  // Last statement before the caller commits, accounts in a fixed order: concurrent billing workers
  // hold these row locks only for an instant and can't deadlock on them.
  await tx
    .insertInto("ledger_balances")
    .values(lines.map((l) => ({ account: l.account, balance_cents: l.amount, updated_at: ctx.now })))
    .onConflict((oc) =>
      oc.column("account").doUpdateSet((eb) => ({
        balance_cents: eb("ledger_balances.balance_cents", "+", eb.ref("excluded.balance_cents")),
        updated_at: ctx.now,
      })),
    )
    .execute();
  return inserted.id;
}

/**
 * What the entries whose source starts with `sourcePrefix` booked on one account, e.g. the
 * ex-gratia expense booked so far for one claim (`claim:<id>:`). Reads the journal, which only
 * postEntry writes; call it in the transaction that posts the next entry.
 */
export async function bookedOn(tx: Tx, account: AccountCode, sourcePrefix: string): Promise<Cents> {
  const row = await tx
    .selectFrom("journal_lines as l")
    .innerJoin("journal_entries as e", "e.id", "l.entry_id")
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>("l.amount_cents"), eb.lit(0)).as("amount"))
    .where("l.account", "=", account)
    .where("e.source", "like", `${sourcePrefix.replaceAll("%", "\\%").replaceAll("_", "\\_")}%`)
    .executeTakeFirstOrThrow();
  return Number(row.amount);
}
