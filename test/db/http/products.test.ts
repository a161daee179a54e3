import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, startTestApp, type TestApp } from "./helpers.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe("products", () => {
  it("lists products with their versions", async () => {
    const res = await call(t.app, t.alice, "GET", "/api/products");
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toContainEqual(
      expect.objectContaining({ code: "nl-cyber", latestVersion: 1, versions: [1], country: "NL" }),
    );
  });

  it("shows a version's tariff, payment rules and limits as decimal strings", async () => {
    const res = await call(t.app, t.staff.finance, "GET", "/api/products/nl-cyber/versions");
    expect(res.statusCode).toBe(200);
    const [v1] = res.json().items;
    expect(v1.tariff).toEqual({ per: "year", premium: { single: "48.00", family: "72.00" } });
    expect(v1.paymentFrequencies).toContainEqual({
      frequency: "monthly",
      installments: 12,
      surchargeBasisPoints: 300,
      paymentMethods: ["sepa_direct_debit"],
    });
    const c = v1.sections.find((s: { code: string }) => s.code === "C");
    expect(c).toMatchObject({ annualLimit: { family: "2500.00", single: "1500.00" }, deductible: "50.00" });
    const one = await call(t.app, t.alice, "GET", "/api/products/nl-cyber/versions/1");
    expect(one.json()).toEqual(v1);
  });

  it("returns the card in the language asked, the product's default otherwise", async () => {
    const fr = await call(t.app, t.alice, "GET", "/api/products/be-cyber-care/versions/1/card?lang=fr");
    expect(fr.statusCode).toBe(200);
    expect(fr.json()).toMatchObject({
      language: "fr",
      card: { title: expect.stringContaining("Fiche produit") },
    });
    const missing = await call(t.app, t.alice, "GET", "/api/products/nl-cyber/versions/1/card?lang=fr");
    expect(missing.statusCode).toBe(404);
    const bad = await call(t.app, t.alice, "GET", "/api/products/nl-cyber/versions/1/card?lang=de");
    expect(bad.statusCode).toBe(400);
  });

  it("returns the card texts", async () => {
    const res = await call(t.app, t.alice, "GET", "/api/products/be-cyber-care/versions/1/card");
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ code: "be-cyber-care", version: 1, language: "nl" });
    expect(res.json().card.whatIsInsured.length).toBeGreaterThan(0);
  });

  it("answers 404 for an unknown product or version, and names a malformed parameter", async () => {
    expect((await call(t.app, t.alice, "GET", "/api/products/xx-none/versions")).json().code).toBe(
      "not_found",
    );
    expect((await call(t.app, t.alice, "GET", "/api/products/nl-cyber/versions/9")).statusCode).toBe(404);
    const bad = await call(t.app, t.alice, "GET", "/api/products/nl-cyber/versions/abc");
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe("version");
  });
});

describe("quotes", () => {
  const body = {
    product: "nl-cyber",
    household: "single",
    paymentFrequency: "monthly",
    paymentMethod: "sepa_direct_debit",
  };

  it("prices per product, household and frequency with the surcharge shown", async () => {
    const res = await call(t.app, t.alice, "POST", "/api/quotes", body);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      productCode: "nl-cyber",
      productVersion: 1,
      household: "single",
      paymentFrequency: "monthly",
      paymentMethod: "sepa_direct_debit",
      annualPremium: "48.00",
      surchargeBasisPoints: 300,
      surcharge: "1.44",
      installment: "4.12",
      installments: 12,
      annualTotal: "49.44",
    });
  });

  it("refuses terms the product does not offer, naming the field", async () => {
    const res = await call(t.app, t.alice, "POST", "/api/quotes", {
      ...body,
      paymentMethod: "bank_transfer",
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      code: "monthly_requires_direct_debit",
      errors: [{ path: "paymentMethod" }],
    });
    const unknown = await call(t.app, t.alice, "POST", "/api/quotes", { ...body, product: "xx" });
    expect(unknown.json()).toMatchObject({ code: "unknown_product", errors: [{ path: "product" }] });
    const bad = await call(t.app, t.alice, "POST", "/api/quotes", { ...body, household: "triple", extra: 1 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe("validation_failed");
    expect(bad.json().errors.map((e: { path: string }) => e.path)).toContain("household");
  });
});
