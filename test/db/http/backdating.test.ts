import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../../src/db/connection.ts";
import { buildApp } from "../../../src/http/app.ts";
import { DEFAULT_HTTP_CONFIG } from "../../../src/http/config.ts";
import { createApiToken, createUser } from "../../../src/identity/service.ts";
import { bindPolicy } from "../../../src/policies/service.ts";
import { defaultCatalog } from "../../../src/products/catalog.ts";
import { addDays } from "../../../src/shared/dates.ts";
import { createTestDb } from "../../support/db.ts";
import { call, rowCounts } from "./helpers.ts";

/**
 * Issue 10 item 4: an admin bound nl-cyber from 1970-01-01 (201), and the next billing run issued
 * 684 monthly invoices. A start before the product version's validFrom, or further back than its
 * maxBackdatingDays (90), is refused and changes nothing. The clock of the report: 2 December 2026.
 */
const NOW = new Date("2026-12-02T10:00:00Z");
const TODAY = "2026-12-02";
const catalog = defaultCatalog();
const maxDays = catalog.get("nl-cyber").maxBackdatingDays;

let db: Db;
let app: Awaited<ReturnType<typeof buildApp>>;
let admin: { headers: Record<string, string> };

beforeAll(async () => {
  db = await createTestDb();
  app = await buildApp({
    db: db.kysely,
    catalog,
    clock: () => NOW,
    config: {
      ...DEFAULT_HTTP_CONFIG,
      sessionSecret: "test-secret-0123456789abcdef0123456789",
      logLevel: "silent",
    },
  });
  await app.ready();
  const ctx = { actor: "test", now: NOW, catalog };
  const { token } = await db.kysely.transaction().execute(async (tx) => {
    const user = await createUser(tx, ctx, {
      email: "admin@example.test",
      password: "correct horse battery",
      role: "admin",
      displayName: "Admin",
      partyId: null,
    });
    return createApiToken(tx, ctx, { userId: user.id, label: "test" });
  });
  admin = { headers: { authorization: `Bearer ${token}` } };
});
afterAll(async () => {
  await app?.close();
  await db?.close();
});

const bind = (startDate: string) =>
  call(app, admin, "POST", "/api/policies", {
    product: "nl-cyber",
    household: "single",
    startDate,
    paymentFrequency: "monthly",
    paymentMethod: "sepa_direct_debit",
    party: { name: "Backdated Bakker", email: "backdated@example.test" },
    mandate: {
      accountHolder: "Backdated Bakker",
      iban: "NL91ABNA0417164300",
      signedOn: TODAY,
      consentText:
        "By signing this mandate form, you authorise cyberpolis to send instructions to your bank.",
    },
  });

describe("a staff member backdating a policy", () => {
  it("is refused for the report's 1970-01-01, and nothing changes", async () => {
    const before = await rowCounts(db);
    const res = await bind("1970-01-01");
    expect(res.statusCode).toBe(422);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({
      code: "dates_out_of_order",
      errors: [{ path: "startDate", message: expect.stringContaining(`at most ${maxDays} days`) }],
    });
    expect(await rowCounts(db)).toEqual(before);
  });

  it(`is refused more than maxBackdatingDays (${maxDays}) back, and binds exactly that far back`, async () => {
    const before = await rowCounts(db);
    const tooFar = await bind(addDays(TODAY, -maxDays - 1));
    expect(tooFar.statusCode).toBe(422);
    expect(tooFar.json()).toMatchObject({
      code: "dates_out_of_order",
      errors: [{ path: "startDate", message: expect.stringContaining(`at most ${maxDays} days`) }],
    });
    expect(await rowCounts(db)).toEqual(before);
    const limit = await bind(addDays(TODAY, -maxDays));
    expect(limit.statusCode).toBe(201);
    expect(limit.json()).toMatchObject({ startDate: addDays(TODAY, -maxDays) });
  });

  it("is refused before the product version's validFrom by the service itself (demo, conformance)", async () => {
    const ctx = { actor: "test", now: new Date("2026-01-05T10:00:00Z"), catalog };
    const terms = {
      productCode: "nl-cyber",
      party: { name: "Early Eva" },
      household: "single",
      paymentFrequency: "annual",
      paymentMethod: "bank_transfer",
    } as const;
    const before = await rowCounts(db);
    await expect(
      db.kysely.transaction().execute((tx) => bindPolicy(tx, ctx, { ...terms, startDate: "2025-12-31" })),
    ).rejects.toMatchObject({
      code: "dates_out_of_order",
      message: "startDate: 2025-12-31 is before 2026-01-01: nl-cyber v1 is valid from 2026-01-01",
    });
    expect(await rowCounts(db)).toEqual(before);
    const first = await db.kysely
      .transaction()
      .execute((tx) => bindPolicy(tx, ctx, { ...terms, startDate: "2026-01-01" }));
    expect(first.start_date).toBe("2026-01-01");
  });
});
