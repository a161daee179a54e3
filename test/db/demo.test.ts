import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { billingConfig } from "../../src/billing/config.ts";
import { runBilling } from "../../src/billing/run/run.ts";
import type { Db } from "../../src/db/connection.ts";
import { seedDemo } from "../../src/demo/seed.ts";
import { checkLedger } from "../../src/ledger/check.ts";
import { defaultCatalog } from "../../src/products/catalog.ts";
import { createTestDb } from "../support/db.ts";

let db: Db;
let out: string;
beforeAll(async () => {
  db = await createTestDb();
  out = mkdtempSync(join(tmpdir(), "cyberpolis-demo-"));
});
afterAll(async () => {
  await db.close();
  rmSync(out, { recursive: true, force: true });
});

describe("demo data (what npm start loads on first start)", () => {
  it("has a user per role, claims in every state, invoices and a balanced ledger", async () => {
    const now = new Date("2026-11-22T10:00:00Z");
    const ctx = { actor: "demo", now, catalog: defaultCatalog() };
    const logins = await db.kysely.transaction().execute((tx) => seedDemo(tx, ctx, "2026-11-22"));
    expect(new Set(logins.map((l) => l.role))).toEqual(
      new Set([
        "policyholder",
        "helpline_agent",
        "helpline_supervisor",
        "claims_handler",
        "finance",
        "admin",
      ]),
    );
    const summary = await runBilling(db.kysely, ctx, {
      date: "2026-11-22",
      outDir: out,
      config: billingConfig({}),
    });
    expect(summary).toBeDefined();
    const statuses = await db.kysely.selectFrom("claims").select("status").distinct().execute();
    expect(statuses.map((s) => s.status)).toEqual(
      expect.arrayContaining(["approved", "denied", "needs_information"]),
    );
    const invoices = await db.kysely
      .selectFrom("invoices")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(invoices.n)).toBeGreaterThan(5);
    expect(readdirSync(out).some((f) => f.startsWith("pain008-"))).toBe(true);
    const cases = await db.kysely.selectFrom("assistance_cases").select("status").distinct().execute();
    expect(cases.map((c) => c.status).sort()).toEqual([
      "in_progress",
      "open",
      "resolved",
      "waiting_for_customer",
    ]);
    const breached = await db.kysely.selectFrom("assistance_breaches").select("target").execute();
    expect(breached.map((b) => b.target)).toContain("first_response");
    for (const t of ["ransom_consents", "content_removals", "risk_assessments"] as const) {
      const n = await db.kysely
        .selectFrom(t)
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow();
      expect(Number(n.n), t).toBeGreaterThan(0);
    }
    const ledger = await checkLedger(db.kysely);
    expect(ledger.problems).toEqual([]);
  });
});
