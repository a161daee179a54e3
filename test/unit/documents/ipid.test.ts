import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { fonts } from "../../../src/documents/fonts.ts";
import { IPID_HEADINGS, ipidContent, ipidLanguages, renderIpid } from "../../../src/documents/ipid.ts";
import { defaultCatalog, parseProduct } from "../../../src/products/catalog.ts";
import type { ProductDefinition } from "../../../src/products/schema.ts";
import { localeOf, money, t } from "../../../src/shared/i18n/index.ts";
import { missingInOrder, readPdf } from "../../support/pdf.ts";

const catalog = defaultCatalog();
const cases = catalog
  .list()
  .flatMap((p) => ipidLanguages(p).map((lang) => [p.code, p.version, lang] as const));

describe("IPID / Verzekeringskaart", () => {
  it("is published in nl for nl-cyber and in nl, fr and en for be-cyber-care", () => {
    expect(ipidLanguages(catalog.get("nl-cyber", 1))).toEqual(["nl"]);
    expect(ipidLanguages(catalog.get("be-cyber-care", 1))).toEqual(["nl", "fr", "en"]);
  });

  it.each(cases)(
    "%s v%s (%s): title, insurer, product, statement, nine headings in order, on at most 2 A4 pages",
    async (code, version, lang) => {
      const product = catalog.get(code, version);
      const locale = localeOf(lang, product.country);
      const pdf = readPdf(await renderIpid(product, lang, fonts()));
      const card = product.card[lang]!;
      const headings = IPID_HEADINGS.map((h) => t(locale, `documents.ipid.heading.${h}`));
      expect(
        missingInOrder(pdf.text, [
          t(locale, "documents.ipid.title"),
          product.insurer.name,
          product.insurer.memberState[lang],
          product.insurer.authorisation[lang],
          card.title,
          card.summary,
          ...headings,
        ]),
      ).toBeNull();
      expect(pdf.pages).toBeLessThanOrEqual(2);
      expect(pdf.pageSize).toContain("(A4)");
    },
  );

  it.each(cases)(
    "%s v%s (%s): every limit and deductible of the product, under its section",
    async (code, version, lang) => {
      const product = catalog.get(code, version);
      const pdf = readPdf(await renderIpid(product, lang, fonts()));
      for (const needle of amountsOf(product, lang)) expect(pdf.text).toContain(needle);
    },
  );

  it("names what the seed Verzekeringskaart names (nl-cyber)", async () => {
    const pdf = readPdf(await renderIpid(catalog.get("nl-cyber", 1), "nl", fonts()));
    expect(
      missingInOrder(pdf.text, [
        "A. Cyberhulplijn",
        "B. Cyberrisico online tool",
        "C. Schade door hacking",
        "€ 1.500,00 per jaar (alleenstaand)",
        "€ 2.500,00 per jaar (gezin)",
        "D. Cyberafpersing",
        "E. Online aankoopfraude",
        "€ 1.500,00 per gebeurtenis",
        "F. Social engineering",
        "G. Cyberpesten",
        "H. Identiteitsdiefstal",
        "€ 2.500,00 per gebeurtenis",
        "molest",
        "grootschalige cyberaanval",
        "vooraf toestemming",
        "€ 50,00 voor C, D, E en F",
        "€ 100,00 voor G en H",
        "geen voor A en B",
        "aangifte bij de politie",
        "schriftelijk bewijs dat de bank niet vergoedt",
        "werelddekking",
        "5% premieopslag",
        "3% premieopslag",
        "automatische incasso",
        "niet eerder dan het moment waarop wij het verzoek",
      ]),
    ).toBeNull();
  });

  it("prints a changed limit from a copy of the product", async () => {
    const raw = structuredClone(rawOf(catalog.get("nl-cyber", 1)));
    const c = (
      raw.sections as { code: string; annualLimit: Record<string, string>; deductible: string }[]
    ).find((s) => s.code === "C")!;
    c.annualLimit.family = "12345.67";
    c.deductible = "77.00";
    const changed = parseProduct(raw, "copy");
    const pdf = readPdf(await renderIpid(changed, "nl", fonts()));
    expect(pdf.text).toContain("maximaal € 12.345,67 per jaar (gezin)");
    expect(pdf.text).toContain("€ 77,00 voor C");
    expect(pdf.text).not.toContain("€ 2.500,00 per jaar (gezin). D.");
  });

  it("renders the same bytes every time (a reproducible content hash)", async () => {
    const p = catalog.get("be-cyber-care", 1);
    const hash = async () =>
      createHash("sha256")
        .update(await renderIpid(p, "fr", fonts()))
        .digest("hex");
    expect(await hash()).toBe(await hash());
  });

  it("refuses a language the IPID is not published in", () => {
    expect(() => ipidContent(catalog.get("nl-cyber", 1), "fr")).toThrow(
      expect.objectContaining({ code: "language_not_offered" }),
    );
  });

  it("puts every section's limits under a green check, exclusions under a red cross, restrictions under an orange !", () => {
    const c = ipidContent(catalog.get("nl-cyber", 1), "nl");
    const icons = (h: string) =>
      new Set(c.sections.find((s) => s.heading === h)?.items.flatMap((i) => (i.icon ? [i.icon] : [])));
    expect(icons("insured")).toEqual(new Set(["check_green"]));
    expect(icons("notInsured")).toEqual(new Set(["cross_red"]));
    expect(icons("restrictions")).toEqual(new Set(["warn_orange"]));
    expect(icons("where")).toEqual(new Set(["check_blue"]));
  });
});

/** The amounts a reader must find: each section's limits per household and per event, each deductible. */
function amountsOf(product: ProductDefinition, lang: "nl" | "fr" | "en"): string[] {
  const locale = localeOf(lang, product.country);
  const out: string[] = [];
  for (const s of product.sections) {
    if (s.kind !== "indemnity") continue;
    for (const h of product.households) out.push(money(locale, s.annualLimit[h]!));
    if (s.perEventLimit !== null) out.push(money(locale, s.perEventLimit));
    if (s.deductible > 0) out.push(money(locale, s.deductible));
  }
  for (const h of product.households) out.push(money(locale, product.tariff.premium[h]!));
  return out.map((x) => x.replace(/\s+/g, " "));
}

/** The product's JSON as written (amounts as decimal strings), so a copy can go through parseProduct. */
function rawOf(p: ProductDefinition): Record<string, unknown> {
  const euro = (c: number) => (c / 100).toFixed(2);
  return {
    ...p,
    tariff: {
      ...p.tariff,
      premium: Object.fromEntries(Object.entries(p.tariff.premium).map(([k, v]) => [k, euro(v!)])),
    },
    sections: p.sections.map((s) =>
      s.kind === "indemnity"
        ? {
            ...s,
            annualLimit: Object.fromEntries(Object.entries(s.annualLimit).map(([k, v]) => [k, euro(v!)])),
            perEventLimit: s.perEventLimit === null ? null : euro(s.perEventLimit),
            deductible: euro(s.deductible),
          }
        : s,
    ),
  };
}
