import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultCatalog, loadCatalog, PRODUCTS_DIR, parseProduct } from "../../../src/products/catalog.ts";
import { indemnitySections } from "../../../src/products/schema.ts";
import { AppError } from "../../../src/shared/errors.ts";

type Json = Record<string, unknown>;

function raw(code: string): Json {
  return JSON.parse(readFileSync(join(PRODUCTS_DIR, code, "1.json"), "utf8")) as Json;
}

/** Walks a JSON path ("sections.2.deductible") to the parent object and the last key. */
function at(obj: Json, path: string): [Json, string] {
  const keys = path.split(".");
  let cursor: Json = obj;
  for (const k of keys.slice(0, -1)) cursor = cursor[k] as Json;
  return [cursor, keys.at(-1)!];
}

function mutated(code: string, path: string, value: unknown): Json {
  const product = raw(code);
  const [parent, key] = at(product, path);
  if (value === undefined) delete parent[key];
  else parent[key] = value;
  return product;
}

function rejection(product: Json): AppError {
  try {
    parseProduct(product, "test.json");
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error("expected the product to be rejected");
}

describe("shipped products", () => {
  it("both load and validate", () => {
    const catalog = loadCatalog();
    expect(
      catalog
        .list()
        .map((p) => `${p.code}/${p.version}`)
        .sort(),
    ).toEqual(["be-cyber-care/1", "nl-cyber/1"]);
    expect(parseProduct(raw("nl-cyber"), "nl").code).toBe("nl-cyber");
    expect(parseProduct(raw("be-cyber-care"), "be").code).toBe("be-cyber-care");
  });

  it("hold the numbers of coverage-rules.md, in cents", () => {
    const nl = defaultCatalog().get("nl-cyber");
    const table = Object.fromEntries(
      indemnitySections(nl).map((s) => [
        s.code,
        [s.perils.join(), s.annualLimit.family, s.annualLimit.single, s.perEventLimit, s.deductible],
      ]),
    );
    expect(table).toEqual({
      C: ["hacking", 250_000, 150_000, null, 5_000],
      D: ["cyber_extortion", 500_000, 200_000, null, 5_000],
      E: ["online_purchase_fraud", 250_000, 200_000, 150_000, 5_000],
      F: ["social_engineering", 500_000, 250_000, 150_000, 5_000],
      G: ["cyberbullying", 500_000, 300_000, null, 10_000],
      H: ["identity_theft", 500_000, 350_000, 250_000, 10_000],
    });
    expect(nl.tariff.premium).toEqual({ single: 4_800, family: 7_200 });
    const be = defaultCatalog().get("be-cyber-care");
    const [shopping] = indemnitySections(be);
    expect(shopping).toMatchObject({
      perils: ["online_shopping_non_delivery", "online_shopping_non_conforming"],
      annualLimit: { family: 500_000 },
      perEventLimit: 500_000,
      deductible: 0,
    });
    expect(be.tariff).toEqual({ per: "month", premium: { family: 499 } });
  });

  it("the catalog knows every peril and loss kind of every product", () => {
    const catalog = defaultCatalog();
    for (const peril of [
      "hacking",
      "cyberbullying",
      "online_shopping_non_delivery",
      "online_shopping_non_conforming",
    ]) {
      expect(catalog.knownPerils.has(peril)).toBe(true);
    }
    for (const kind of ["ransom", "lost_business_income", "physical_damage", "purchase_price"]) {
      expect(catalog.knownLossKinds.has(kind)).toBe(true);
    }
    expect(catalog.knownPerils.has("alien_abduction")).toBe(false);
  });

  it("refuses an unknown product or version with its own code", () => {
    const catalog = defaultCatalog();
    expect(() => catalog.get("xx-cyber")).toThrow(expect.objectContaining({ code: "unknown_product" }));
    expect(() => catalog.get("nl-cyber", 99)).toThrow(
      expect.objectContaining({ code: "unknown_product_version" }),
    );
  });
});

describe("parseProduct rejects a malformed product, naming the field", () => {
  // nl-cyber sections: 0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H.
  const cases: [string, string, string, unknown, string][] = [
    ["negative deductible", "nl-cyber", "sections.2.deductible", "-50.00", "sections.2.deductible"],
    ["3-decimal deductible", "nl-cyber", "sections.2.deductible", "50.005", "sections.2.deductible"],
    ["numeric deductible", "nl-cyber", "sections.2.deductible", 50, "sections.2.deductible"],
    [
      "3-decimal per-event limit",
      "nl-cyber",
      "sections.4.perEventLimit",
      "1500.001",
      "sections.4.perEventLimit",
    ],
    [
      "missing annual limit for a household",
      "nl-cyber",
      "sections.3.annualLimit.single",
      undefined,
      "sections.3.annualLimit.single",
    ],
    [
      "unknown section evidence",
      "nl-cyber",
      "sections.2.evidence",
      ["police_report", "dna_test"],
      "sections.2.evidence",
    ],
    ["version as a string", "nl-cyber", "version", "1", "version"],
    [
      "an exclusion without French",
      "nl-cyber",
      "exclusions.gambling.fr",
      undefined,
      "exclusions.gambling.fr",
    ],
    [
      "a language the platform can't write",
      "be-cyber-care",
      "languages.offered",
      ["nl", "de"],
      "languages.offered.1",
    ],
    ["a default language not offered", "be-cyber-care", "languages.default", "en", "languages.default"],
    ["no complaint route", "nl-cyber", "complaints", undefined, "complaints"],
    ["unknown leap-day rule", "nl-cyber", "leapDayAnniversary", "feb29", "leapDayAnniversary"],
    [
      "missing premium for a household",
      "nl-cyber",
      "tariff.premium.single",
      undefined,
      "tariff.premium.single",
    ],
    ["negative premium", "be-cyber-care", "tariff.premium.family", "-4.99", "tariff.premium.family"],
    ["unknown key", "nl-cyber", "sections.2.colour", "red", "sections.2"],
    [
      "bad installments",
      "nl-cyber",
      "paymentFrequencies.quarterly.installments",
      3,
      "paymentFrequencies.quarterly.installments",
    ],
    [
      "frequency method not offered",
      "nl-cyber",
      "paymentFrequencies.annual.paymentMethods",
      ["partner_invoice"],
      "paymentFrequencies.annual.paymentMethods",
    ],
    ["non-snake peril", "be-cyber-care", "sections.2.perils", ["Online-Shopping"], "sections.2.perils.0"],
    [
      "missing suspension days",
      "nl-cyber",
      "premiumDefault.suspendAfterDays",
      undefined,
      "premiumDefault.suspendAfterDays",
    ],
  ];
  it.each(cases)("%s", (_name, code, path, value, expectedPath) => {
    const e = rejection(mutated(code, path, value));
    expect(e.code).toBe("invalid_product_definition");
    expect(e.message).toContain("test.json");
    expect(e.message).toContain(expectedPath);
  });

  it("an unknown evidence reference on a loss kind", () => {
    const e = rejection(mutated("nl-cyber", "sections.4.lossKinds.purchase_price.evidence", ["receipt"]));
    expect(e.message).toContain("sections.4.lossKinds.purchase_price.evidence");
    expect(e.message).toContain("receipt");
  });

  it("a peril in two sections", () => {
    const e = rejection(mutated("nl-cyber", "sections.3.perils", ["cyber_extortion", "hacking"]));
    expect(e.message).toContain("sections.3.perils");
  });

  it("a duplicate section code", () => {
    const e = rejection(mutated("nl-cyber", "sections.3.code", "C"));
    expect(e.message).toContain("sections.3.code");
  });

  it("something that is not an object", () => {
    expect(rejection([] as unknown as Json).code).toBe("invalid_product_definition");
  });
});
