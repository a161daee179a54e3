import { describe, expect, it } from "vitest";
import { type BillingKey, InvoicePlanner } from "../../../src/billing/run/chunk-plan.ts";
import { defaultCatalog } from "../../../src/products/catalog.ts";

/**
 * The billing run's planner as the product states it: nl-cyber monthly by direct debit, billed on
 * 5 March 2026 with 14 days' notice. Family 6.18 (6.00 + 0.18), single 4.12 (4.00 + 0.12).
 */
const catalog = defaultCatalog();
const group = (overrides: Partial<BillingKey> = {}): BillingKey => ({
  key_no: 7,
  policy_id: null,
  product_code: "nl-cyber",
  product_version: 1,
  household: "family",
  start_date: "2026-01-01",
  payment_frequency: "monthly",
  payment_method: "sepa_direct_debit",
  end_date: null,
  direct: true,
  billed_from: "2026-01-01",
  ...overrides,
});

describe("planning a group's invoices", () => {
  it("bills January to March, each collected 14 days after the run, the first FRST and the rest RCUR", () => {
    const rows = new InvoicePlanner(catalog, "2026-03-05", 14).plan(group(), [], undefined);
    expect(rows).toEqual(
      ["2026-01-01", "2026-02-01", "2026-03-01"].map((start, i) => ({
        key_no: 7,
        period_start: start,
        period_end: ["2026-02-01", "2026-03-01", "2026-04-01"][i],
        household: "family",
        premium_cents: 600,
        surcharge_cents: 18,
        amount_cents: 618,
        collection_date: "2026-03-19",
        seq_first: "FRST",
        seq_next: "RCUR",
      })),
    );
  });

  it("cover ending on 1 March: January and February only, February the final collection", () => {
    const rows = new InvoicePlanner(catalog, "2026-03-05", 14).plan(
      group({ end_date: "2026-03-01" }),
      [],
      undefined,
    );
    expect(rows.map((r) => [r.period_start, r.seq_next])).toEqual([
      ["2026-01-01", "RCUR"],
      ["2026-02-01", "FNAL"],
    ]);
  });

  it("a household change on 1 February prices February and March as single", () => {
    const rows = new InvoicePlanner(catalog, "2026-03-05", 14).plan(
      group({ policy_id: "pol-1" }),
      [{ effectiveDate: "2026-02-01", household: "single" }],
      undefined,
    );
    expect(rows.map((r) => [r.household, r.amount_cents, r.premium_cents, r.surcharge_cents])).toEqual([
      ["family", 618, 600, 18],
      ["single", 412, 400, 12],
      ["single", 412, 400, 12],
    ]);
  });

  it("a schedule sent on 1 December lets January be collected the day after the run", () => {
    const notices = new Map([["2026-01-01", "2025-12-01"]]);
    const rows = new InvoicePlanner(catalog, "2026-03-05", 14).plan(
      group({ policy_id: "pol-1" }),
      [],
      notices,
    );
    expect(rows.map((r) => r.collection_date)).toEqual(["2026-03-06", "2026-03-06", "2026-03-06"]);
  });

  it("a policy paid by transfer has no collection date and no sequence type", () => {
    const rows = new InvoicePlanner(catalog, "2026-03-05", 14).plan(
      group({ payment_frequency: "quarterly", payment_method: "bank_transfer", direct: false }),
      [],
      undefined,
    );
    expect(rows).toEqual([
      {
        key_no: 7,
        period_start: "2026-01-01",
        period_end: "2026-04-01",
        household: "family",
        premium_cents: 1800,
        surcharge_cents: 90,
        amount_cents: 1890,
        collection_date: null,
        seq_first: null,
        seq_next: null,
      },
    ]);
  });

  it("groups that share dates and prices get the same rows from the caches", () => {
    const planner = new InvoicePlanner(catalog, "2026-03-05", 14);
    const first = planner.plan(group(), [], undefined);
    expect(planner.plan(group({ key_no: 8 }), [], undefined)).toEqual(
      first.map((r) => ({ ...r, key_no: 8 })),
    );
    // Another billed-through date is another plan, not the cached one.
    expect(
      planner.plan(group({ billed_from: "2026-03-01" }), [], undefined).map((r) => r.period_start),
    ).toEqual(["2026-03-01"]);
    // Another notice date is another collection date, not the cached one.
    const notices = new Map([["2026-01-01", "2026-03-04"]]);
    expect(planner.plan(group(), [], notices).map((r) => r.collection_date)).toEqual([
      "2026-03-18",
      "2026-03-18",
      "2026-03-18",
    ]);
  });

  it("a frequency the product does not offer is a programming error naming the group", () => {
    // be-cyber-care is paid monthly only.
    const be = group({ product_code: "be-cyber-care", policy_id: "pol-9", payment_frequency: "annual" });
    expect(() => new InvoicePlanner(catalog, "2026-03-05", 14).plan(be, [], undefined)).toThrow(
      "pol-9 of be-cyber-care v1: frequency annual not in the product",
    );
    const many = group({ product_code: "be-cyber-care", payment_frequency: "annual" });
    expect(() => new InvoicePlanner(catalog, "2026-03-05", 14).plan(many, [], undefined)).toThrow(
      "policies of be-cyber-care v1: frequency annual not in the product",
    );
  });
});
