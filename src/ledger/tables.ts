import type { ColumnType, Generated } from "kysely";

/** Table types of the ledger module (migration 20261122_0004_billing.sql). */
type Timestamp = ColumnType<Date, Date | string, Date | string>;

export type AccountCode =
  | "premium_receivable"
  | "bank"
  | "premium_income"
  | "surcharge_income"
  | "claims_expense"
  | "ex_gratia_expense"
  | "claims_payable"
  | "refunds_payable"
  | "overpayments";

export interface LedgerAccountsTable {
  code: AccountCode;
  name: string;
  kind: "asset" | "liability" | "income" | "expense";
}

export interface JournalEntriesTable {
  id: Generated<number>;
  posted_on: string;
  kind: string;
  source: string;
  policy_id: string | null;
  description: string;
  created_at: Timestamp;
}

export interface JournalLinesTable {
  entry_id: number;
  line_no: number;
  account: AccountCode;
  /** Debit positive, credit negative. */
  amount_cents: number;
}

export interface LedgerBalancesTable {
  account: AccountCode;
  balance_cents: number;
  updated_at: Timestamp;
}

export interface LedgerTables {
  ledger_accounts: LedgerAccountsTable;
  journal_entries: JournalEntriesTable;
  journal_lines: JournalLinesTable;
  ledger_balances: LedgerBalancesTable;
}
