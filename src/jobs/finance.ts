import { billingConfig, runBilling, runDunning } from "../billing/index.ts";
import { exportPayments } from "../payments/index.ts";
import type { Ctx } from "../shared/context.ts";
import { dateIn, type IsoDate } from "../shared/dates.ts";
import { formatAmount } from "../shared/money.ts";
import type { Job } from "./tasks.ts";

/**
 * The calendar date finance works on: the earliest "today" among the products' time zones, so
 * no product is ever billed or dunned for a day that has not begun where it is sold.
 */
export function financeDate(ctx: Ctx): IsoDate {
  const dates = ctx.catalog.list().map((p) => dateIn(ctx.now, p.timeZone));
  return dates.sort()[0] ?? ctx.now.toISOString().slice(0, 10);
}

/** Finance's routine (issue 14 item 4): the monthly billing run, daily dunning and payouts. */
export const FINANCE_JOBS: readonly Job[] = [
  {
    name: "billing_run",
    // 02:00 UTC on the 1st: the month has begun in every product's time zone.
    schedule: "0 2 1 * *",
    backfillHours: 24 * 28,
    async run(db, ctx, env) {
      const s = await runBilling(db, ctx, {
        date: financeDate(ctx),
        outDir: env.bankDir,
        config: billingConfig(),
      });
      return {
        summary: `billing run ${s.runDate}: ${s.invoices} invoices (${s.newInvoices} new), EUR ${formatAmount(s.total)}, ${s.files.length} files`,
      };
    },
  },
  {
    name: "billing_dunning",
    schedule: "0 4 * * *",
    backfillHours: 24,
    async run(db, ctx) {
      const r = await runDunning(db, ctx, { date: financeDate(ctx), config: billingConfig() });
      return {
        summary: `dunning ${r.date}: ${r.letters} letters for ${r.reminders.length} unpaid invoices and charges`,
      };
    },
  },
  {
    name: "payments_export",
    schedule: "0 5 * * 1-5",
    backfillHours: 24,
    async run(db, ctx, env) {
      const r = await exportPayments(db, ctx, {
        date: financeDate(ctx),
        outDir: env.bankDir,
        config: billingConfig(),
      });
      const file = r.file ? `${r.file.messageId}, ${r.file.transactions} transfers` : "nothing to pay";
      return { summary: `payments export: ${file}; ${r.withoutAccount.length} without an account` };
    },
  },
];
