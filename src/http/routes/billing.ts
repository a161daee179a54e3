import { z } from "zod";
import { listSetAside } from "../../billing/index.ts";
import type { Role } from "../../identity/index.ts";
import { formatAmount } from "../../shared/money.ts";
import type { Router } from "../router.ts";
import { isoDate, money, pageQuery } from "../schemas.ts";

/** Who works the billing queues: finance, and admins. */
const FINANCE: readonly Role[] = ["finance", "admin"];

const setAsideItem = z
  .object({
    id: z.number().int(),
    kind: z
      .enum(["invoice", "charge"])
      .describe("an installment of a billing run, or a charge collected on its own"),
    runDate: isoDate,
    policyNumber: z.string(),
    reference: z.string().describe("the invoice or charge reference; the payment request letter quotes it"),
    amount: money,
    reason: z.string().describe("why the pain.008 writer refused the debit, field by field"),
    setAsideOn: isoDate,
    resolved: z.boolean(),
  })
  .meta({ id: "SetAsideDebit" });

export function registerBillingRoutes(r: Router) {
  r.route({
    method: "GET",
    url: "/billing/set-aside",
    summary: "Direct debits a billing run could not put into its bank file, asked for by letter instead",
    tags: ["billing"],
    roles: FINANCE,
    query: pageQuery.extend({ all: z.enum(["true", "false"]).optional() }).strict(),
    response: z.object({ items: z.array(setAsideItem) }),
    handler: async ({ tx, query }) => {
      const rows = await listSetAside(tx, {
        all: query.all === "true",
        limit: query.limit,
        offset: query.offset,
      });
      return { items: rows.map((row) => ({ ...row, amount: formatAmount(row.amount) })) };
    },
  });
}
