import { z } from "zod";
import { ALL_ROLES } from "../../identity/index.ts";
import type { ProductDefinition } from "../../products/index.ts";
import { isAppError, NotFoundError } from "../../shared/errors.ts";
import { LANGUAGES } from "../../shared/i18n/index.ts";
import { formatAmount } from "../../shared/money.ts";
import type { Router } from "../router.ts";
import { household, money, paymentFrequency, paymentMethod, texts } from "../schemas.ts";

const productCode = z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, "must be a product code such as nl-cyber");
const codeParams = z.object({ code: productCode }).strict();
const versionParams = z
  .object({ code: productCode, version: z.coerce.number().int().min(1).max(10_000) })
  .strict();

const productSummary = z.object({
  code: z.string(),
  name: texts,
  country: z.string(),
  latestVersion: z.number().int(),
  versions: z.array(z.number().int()),
});

const section = z.object({
  code: z.string(),
  kind: z.enum(["service", "indemnity"]),
  name: texts,
  description: texts,
  annualLimit: z.partialRecord(household, money).nullable(),
  perEventLimit: money.nullable(),
  deductible: money.nullable(),
});

const versionView = z
  .object({
    code: z.string(),
    version: z.number().int(),
    name: texts,
    country: z.string(),
    currency: z.string(),
    validFrom: z.string(),
    households: z.array(household),
    tariff: z.object({ per: z.enum(["year", "month"]), premium: z.partialRecord(household, money) }),
    paymentMethods: z.array(paymentMethod),
    paymentFrequencies: z.array(
      z.object({
        frequency: paymentFrequency,
        installments: z.number().int(),
        surchargeBasisPoints: z.number().int(),
        paymentMethods: z.array(paymentMethod),
      }),
    ),
    sections: z.array(section),
  })
  .meta({ id: "ProductVersion" });

const cardView = z.object({
  code: z.string(),
  version: z.number().int(),
  language: z.enum(LANGUAGES),
  card: z.object({
    title: z.string(),
    summary: z.string(),
    typeOfInsurance: z.string(),
    whatIsInsured: z.array(z.string()),
    whatIsNotInsured: z.array(z.string()),
    restrictions: z.array(z.string()),
    territory: z.string(),
    obligations: z.array(z.string()),
    payment: z.string(),
    term: z.string(),
    cancellation: z.string(),
  }),
});

const amounts = (m: Partial<Record<"single" | "family", number>>) =>
  Object.fromEntries(Object.entries(m).map(([k, v]) => [k, formatAmount(v)]));

function viewVersion(p: ProductDefinition): z.output<typeof versionView> {
  return {
    code: p.code,
    version: p.version,
    name: p.name,
    country: p.country,
    currency: p.currency,
    validFrom: p.validFrom,
    households: p.households,
    tariff: { per: p.tariff.per, premium: amounts(p.tariff.premium) },
    paymentMethods: p.paymentMethods,
    paymentFrequencies: Object.entries(p.paymentFrequencies).map(([frequency, rule]) => ({
      frequency: paymentFrequency.parse(frequency),
      installments: rule.installments,
      surchargeBasisPoints: rule.surchargeBasisPoints,
      paymentMethods: rule.paymentMethods,
    })),
    sections: p.sections.map((s) =>
      s.kind === "service"
        ? { ...s, annualLimit: null, perEventLimit: null, deductible: null }
        : {
            code: s.code,
            kind: s.kind,
            name: s.name,
            description: s.description,
            annualLimit: amounts(s.annualLimit),
            perEventLimit: s.perEventLimit === null ? null : formatAmount(s.perEventLimit),
            deductible: formatAmount(s.deductible),
          },
    ),
  };
}

export function registerProductRoutes(r: Router) {
  const { catalog } = r.deps;
  // In a path, an unknown product or version is a missing resource (404), not refused input.
  const product = (code: string, version?: number) => {
    try {
      return catalog.get(code, version);
    } catch (e) {
      if (isAppError(e)) throw new NotFoundError("product", version ? `${code} v${version}` : code);
      throw e;
    }
  };
  r.route({
    method: "GET",
    url: "/products",
    summary: "The products on sale, with their versions",
    tags: ["products"],
    roles: ALL_ROLES,
    response: z.object({ items: z.array(productSummary) }),
    handler: async () => ({
      items: [...catalog.products.entries()].map(([code, versions]) => {
        const latest = catalog.get(code);
        return {
          code,
          name: latest.name,
          country: latest.country,
          latestVersion: latest.version,
          versions: [...versions.keys()].sort((a, b) => a - b),
        };
      }),
    }),
  });

  r.route({
    method: "GET",
    url: "/products/:code/versions",
    summary: "Every version of a product: tariff, payment rules, sections and limits",
    tags: ["products"],
    roles: ALL_ROLES,
    params: codeParams,
    response: z.object({ items: z.array(versionView) }),
    handler: async ({ params }) => {
      product(params.code);
      const items = catalog
        .list()
        .filter((p) => p.code === params.code)
        .sort((a, b) => a.version - b.version);
      return { items: items.map(viewVersion) };
    },
  });

  r.route({
    method: "GET",
    url: "/products/:code/versions/:version",
    summary: "One product version",
    tags: ["products"],
    roles: ALL_ROLES,
    params: versionParams,
    response: versionView,
    handler: async ({ params }) => viewVersion(product(params.code, params.version)),
  });

  r.route({
    method: "GET",
    url: "/products/:code/versions/:version/card",
    summary: "The product card texts (Verzekeringskaart / IPID) of a version",
    tags: ["products"],
    roles: ALL_ROLES,
    params: versionParams,
    query: z
      .object({ lang: z.enum(LANGUAGES).optional().describe("default: the product's default language") })
      .strict(),
    response: cardView,
    handler: async ({ params, query }) => {
      const p = product(params.code, params.version);
      const language = query.lang ?? p.languages.default;
      const card = p.card[language];
      if (!card) {
        throw new NotFoundError("product card", `${p.code} ${p.version} (${language})`);
      }
      return { code: p.code, version: p.version, language, card };
    },
  });
}
