import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * One writer per table (issue 11, item 1): the tables that carry an invariant — a payout's status
 * lifecycle, a section's annual limit, a claim's decision history — are written by their module's
 * store only, and every table is written by its own module only. A write anywhere else fails here,
 * naming the file.
 */
const SRC = join(import.meta.dirname, "../../../src");

const RULES: { table: string; owner: string; writes: RegExp[] }[] = [
  {
    table: "payouts",
    owner: "payments/store.ts",
    writes: [
      /updateTable\("payouts"\)/,
      /insertInto\("payouts"\)/,
      /\bupdate\s+payouts\b/i,
      /\binsert\s+into\s+payouts\b/i,
    ],
  },
  {
    table: "limit_usage",
    owner: "claims/store.ts",
    writes: [
      /insertInto\("limit_usage"\)/,
      /updateTable\("limit_usage"\)/,
      /\bupdate\s+limit_usage\b/i,
      /\binsert\s+into\s+limit_usage\b/i,
    ],
  },
  {
    table: "claim_decisions",
    owner: "claims/store.ts",
    writes: [/insertInto\("claim_decisions"\)/, /\binsert\s+into\s+claim_decisions\b/i],
  },
  ...(["documents", "document_deliveries"] as const).map((table) => ({
    table,
    owner: "documents/store.ts",
    writes: [
      new RegExp(`(insertInto|updateTable|deleteFrom)\\("${table}"\\)`),
      new RegExp(`\\b(insert\\s+into|update|delete\\s+from)\\s+${table}\\b(?!_)`, "i"),
    ],
  })),
];

/** Every table and the module whose folder alone writes it (src/<module>/). */
const OWNERS: Record<string, string[]> = {
  assistance: [
    "assistance_breaches",
    "assistance_cases",
    "assistance_notes",
    "assistance_priority_changes",
    "assistance_referrals",
    "assistance_status_changes",
    "content_removals",
    "ransom_consents",
    "risk_assessments",
  ],
  audit: ["audit_log"],
  billing: [
    "bank_imports",
    "billing_adjustments",
    "billing_run_chunks",
    "billing_runs",
    "billing_schedule_notices",
    "billing_set_aside",
    "charge_collections",
    "invoices",
    "payment_batches",
    "premium_letters",
    "sepa_mandates",
  ],
  claims: [
    "claim_decisions",
    "claim_evidence",
    "claim_facts",
    "claim_lines",
    "claim_overrides",
    "claim_referrals",
    "claims",
    "limit_usage",
  ],
  documents: ["document_deliveries", "documents"],
  idempotency: ["idempotency_keys"],
  identity: ["account_links", "api_tokens", "login_failures", "sessions", "users"],
  jobs: ["job_schedule"],
  ledger: ["journal_entries", "journal_lines", "ledger_accounts", "ledger_balances"],
  parties: ["parties"],
  payments: ["overpayments", "payout_accounts", "payout_attempts", "payouts"],
  policies: [
    "policies",
    "policy_endorsements",
    "premium_payments",
    "premium_reminders",
    "premium_suspensions",
  ],
};

const MIGRATIONS = join(SRC, "db/migrations");
const created = readdirSync(MIGRATIONS)
  .filter((f) => f.endsWith(".sql"))
  .flatMap((f) =>
    [
      ...readFileSync(join(MIGRATIONS, f), "utf8").matchAll(/create table (?:if not exists )?([a-z_]+)/gi),
    ].map((m) => m[1]!),
  );

function writesOf(table: string): RegExp[] {
  return [
    new RegExp(`(insertInto|updateTable|deleteFrom|mergeInto)\\("${table}"\\)`),
    new RegExp(`\\b(insert\\s+into|delete\\s+from|update)\\s+${table}\\b(?!_)`, "i"),
  ];
}

const sources = readdirSync(SRC, { recursive: true, encoding: "utf8" })
  .filter((f) => f.endsWith(".ts"))
  .map((f) => ({ file: f.split("\\").join("/"), text: readFileSync(join(SRC, f), "utf8") }));

describe("one writer per table", () => {
  it("reads the sources", () => {
    expect(sources.length).toBeGreaterThan(100);
  });

  it("every table has one owning module", () => {
    const owned = Object.values(OWNERS).flat();
    expect([...new Set(created)].filter((t) => !owned.includes(t)).sort()).toEqual([]);
    expect(owned.filter((t) => !created.includes(t))).toEqual([]);
  });

  for (const [module, tables] of Object.entries(OWNERS)) {
    it(`writes the tables of ${module} only in src/${module}/`, () => {
      const outside = sources.filter(
        (s) => !s.file.startsWith(`${module}/`) && !s.file.startsWith("db/migrations/"),
      );
      const found = tables.flatMap((table) =>
        outside.flatMap((s) =>
          writesOf(table)
            .filter((w) => w.test(s.text))
            .map(() => `src/${s.file} writes ${table}`),
        ),
      );
      expect(found).toEqual([]);
    });
  }

  it("the adapters and flows run no query of their own: they ask the modules", () => {
    // Adapters (HTTP, CLI, server start, demo data, conformance) and flows reach tables only
    // through the modules' functions (the health probes ping through src/db).
    const ADAPTERS = /^(http|cli|server|demo|conformance|flows)\//;
    const query = /\.(selectFrom|insertInto|updateTable|deleteFrom|mergeInto)\(|\bsql`|\bsql</;
    const found = sources.filter((s) => ADAPTERS.test(s.file) && query.test(s.text));
    expect(found.map((s) => `src/${s.file}`)).toEqual([]);
  });

  for (const rule of RULES) {
    it(`writes ${rule.table} only in src/${rule.owner}`, () => {
      const elsewhere = sources
        .filter((s) => s.file !== rule.owner)
        .flatMap((s) => rule.writes.filter((w) => w.test(s.text)).map((w) => `src/${s.file}: ${w.source}`));
      expect(elsewhere).toEqual([]);
      // The owner does write it: a pattern that matches nothing anywhere would guard nothing.
      const owner = sources.find((s) => s.file === rule.owner);
      expect(owner && rule.writes.some((w) => w.test(owner.text))).toBe(true);
    });
  }
});
