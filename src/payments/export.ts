import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Kysely } from "kysely";
import { recordAudit } from "../audit/service.ts";
import { buildCreditTransferFile, type CreditTransfer, toSepaText } from "../bank/index.ts";
import type { BillingConfig } from "../billing/config.ts";
import type { Database, Tx } from "../db/schema.ts";
import type { Ctx } from "../shared/context.ts";
import { type IsoDate, parseDate } from "../shared/dates.ts";
import { type Cents, sum } from "../shared/money.ts";
import { payeeAccount } from "./accounts.ts";
import { type AccrualResult, accruePayouts } from "./accrue.ts";

export interface MissingAccount {
  payoutId: number;
  kind: "claim" | "refund";
  /** Claim number for a claim payout, policy number for a refund. */
  what: string;
  policyNumber: string;
  amount: Cents;
}

export interface PaymentsExport {
  accrued: AccrualResult;
  file: { path: string; messageId: string; transactions: number; total: Cents } | null;
  /** Payouts that stay pending because the policy has neither a payout account nor a mandate. */
  withoutAccount: MissingAccount[];
}

/**
 * `payments export`: accrues what is owed, then puts every pending payout with a known account in
 * one pain.001 (a credit_transfer payment batch) executed on `date`. The file is written before the
 * transaction commits, so a failed write leaves every payout pending.
 */
export async function exportPayments(
  db: Kysely<Database>,
  ctx: Ctx,
  opts: { date: string; outDir: string; config: BillingConfig },
): Promise<PaymentsExport> {
  const date = parseDate(opts.date, "date");
  return db.transaction().execute(async (tx) => {
    const accrued = await accruePayouts(tx, ctx);
    const pending = await tx
      .selectFrom("payouts as p")
      .innerJoin("policies as pol", "pol.id", "p.policy_id")
      .leftJoin("claims as c", "c.id", "p.claim_id")
      .select([
        "p.id",
        "p.kind",
        "p.policy_id",
        "p.amount_cents",
        "p.end_to_end_id",
        "pol.number",
        "c.number as claim_number",
      ])
      .where("p.status", "=", "pending")
      .orderBy("p.id")
      .forUpdate("p")
      .execute();
    const withoutAccount: MissingAccount[] = [];
    const ready: { id: number; kind: "claim" | "refund"; transfer: CreditTransfer; bic: string | null }[] =
      [];
    for (const p of pending) {
      const account = await payeeAccount(tx, p.policy_id);
      if (!account) {
        withoutAccount.push({
          payoutId: p.id,
          kind: p.kind,
          what: p.claim_number ?? p.number,
          policyNumber: p.number,
          amount: p.amount_cents,
        });
        continue;
      }
      const remittance =
        p.kind === "claim"
          ? `Uitkering schade ${p.claim_number} polis ${p.number}`
          : `Terugbetaling premie polis ${p.number}`;
      ready.push({
        id: p.id,
        kind: p.kind,
        bic: account.bic,
        transfer: {
          amount: p.amount_cents,
          endToEndId: p.end_to_end_id,
          creditorName: toSepaText(account.name, 70),
          creditorIban: account.iban,
          creditorBic: account.bic ?? undefined,
          remittanceInformation: toSepaText(remittance, 140),
        },
      });
    }
    if (ready.length === 0) return { accrued, file: null, withoutAccount };
    const file = await writeBatch(tx, ctx, opts, date, ready);
    return { accrued, file, withoutAccount };
  });
}

async function writeBatch(
  tx: Tx,
  ctx: Ctx,
  opts: { outDir: string; config: BillingConfig },
  date: IsoDate,
  ready: { id: number; kind: "claim" | "refund"; transfer: CreditTransfer; bic: string | null }[],
) {
  const count = await tx
    .selectFrom("payment_batches")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("kind", "=", "credit_transfer")
    .where("collection_date", "=", date)
    .executeTakeFirstOrThrow();
  const messageId = `CP-CT-${date.replaceAll("-", "")}-${Number(count.n) + 1}`;
  const total = sum(ready.map((r) => r.transfer.amount));
  const fileName = `pain001-${date}-${messageId}.xml`;
  const xml = buildCreditTransferFile({
    messageId,
    createdAt: ctx.now,
    executionDate: date,
    debtor: {
      name: opts.config.creditor.name,
      iban: opts.config.creditor.iban,
      bic: opts.config.creditor.bic,
    },
    transactions: ready.map((r) => r.transfer),
  });
  const batch = await tx
    .insertInto("payment_batches")
    .values({
      kind: "credit_transfer",
      run_id: null,
      collection_date: date,
      message_id: messageId,
      status: "written",
      file_name: fileName,
      transactions: ready.length,
      total_cents: total,
      created_at: ctx.now,
      written_at: ctx.now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  for (const r of ready) {
    const updated = await tx
      .updateTable("payouts")
      .set({
        status: "exported",
        batch_id: batch.id,
        payee_name: r.transfer.creditorName,
        iban: r.transfer.creditorIban,
        bic: r.bic,
      })
      .where("id", "=", r.id)
      .where("status", "=", "pending")
      .returning("adjustment_id")
      .executeTakeFirstOrThrow();
    if (updated.adjustment_id !== null) {
      await tx
        .updateTable("billing_adjustments")
        .set({ refund_batch_id: batch.id })
        .where("id", "=", updated.adjustment_id)
        .execute();
    }
  }
  await recordAudit(tx, ctx, {
    action: "payments.exported",
    entityType: "payment_batch",
    entityId: String(batch.id),
    after: { messageId, transactions: ready.length, total, payouts: ready.map((r) => r.id) },
  });
  await mkdir(opts.outDir, { recursive: true });
  const path = join(opts.outDir, fileName);
  await writeFile(path, xml);
  return { path, messageId, transactions: ready.length, total };
}
