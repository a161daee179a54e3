import { z } from "zod";
import { ALL_ROLES } from "../../identity/index.ts";
import { quote } from "../../products/index.ts";
import { formatAmount } from "../../shared/money.ts";
import type { Router } from "../router.ts";
import { household, money, paymentFrequency, paymentMethod } from "../schemas.ts";

export const quoteView = z
  .object({
    productCode: z.string(),
    productVersion: z.number().int(),
    household,
    paymentFrequency,
    paymentMethod,
    annualPremium: money.describe("the yearly premium without installment surcharge"),
    surchargeBasisPoints: z.number().int().describe("installment surcharge, 300 = 3%"),
    surcharge: money.describe("what paying in installments adds per year"),
    installment: money,
    installments: z.number().int(),
    annualTotal: money.describe("installment × installments"),
  })
  .meta({ id: "Quote" });

export function registerQuoteRoutes(r: Router) {
  r.route({
    method: "POST",
    url: "/quotes",
    summary: "Price a product for a household and payment frequency (nothing is stored)",
    tags: ["quotes"],
    roles: ALL_ROLES,
    transaction: false,
    body: z
      .object({
        product: z.string().min(1).max(64),
        productVersion: z.number().int().min(1).optional(),
        household,
        paymentFrequency,
        paymentMethod,
      })
      .strict(),
    response: quoteView,
    handler: async ({ ctx, body }) => {
      const q = quote(ctx.catalog.get(body.product, body.productVersion), body);
      return {
        ...q,
        annualPremium: formatAmount(q.annualPremium),
        surcharge: formatAmount(q.surcharge),
        installment: formatAmount(q.installment),
        annualTotal: formatAmount(q.annualTotal),
      };
    },
  });
}
