import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Kysely } from "kysely";
import { recordAudit } from "../audit/index.ts";
import { buildCreditTransferFile, type CreditTransfer, toSepaText } from "../bank/index.ts";
import type { BillingConfig } from "../billing/index.ts";
import { creditTransferFiles, insertCreditTransferBatch, setRefundBatch } from "../billing/index.ts";
import type { Database, Tx } from "../db/schema.ts";
import type { Ctx } from "../shared/context.ts";
import { type IsoDate, parseDate } from "../shared/dates.ts";
import { type Cents, sum } from "../shared/money.ts";
import { type AccrualResult, accruePayouts } from "./accrue.ts";
import { nextEndToEndId } from "./failures.ts";
import type { PayoutKind, PayoutStatus } from "./model.ts";
import { movePayout } from "./store.ts";
import { payoutTarget } from "./target.ts";

export interface MissingAccount {
  payoutId: number;
  kind: PayoutKind;
  /** Claim number for a claim payout, policy number for a refund. */
  what: string;
  policyNumber: string;
  amount: Cents;
  /** For a payout the bank refused for an account reason: that reason (AC04, MD07…). */
  reason?: string | null;
}

export interface PaymentsExport {
  accrued: AccrualResult;
  file: { path: string; messageId: string; transactions: number; total: Cents } | null;
  /** Payouts that stay pending because the policy has neither a payout account nor a mandate. */
  withoutAccount: MissingAccount[];
  /** Rejected or returned for an account reason: they wait for `payments iban` to set a new account. */
  awaitingAccount: MissingAccount[];
}

interface ReadyPayout {
  id: number;
  /** The status the payout was read in (compare-and-set on export). */
  status: PayoutStatus;
  attempt: number;
  transfer: CreditTransfer;
  bic: string | null;
}

function remittanceOf(p: { kind: PayoutKind; claim_number: string | null; number: string }): string {
  if (p.kind === "claim") return `Uitkering schade ${p.claim_number} polis ${p.number}`;
  if (p.kind === "refund") return `Terugbetaling premie polis ${p.number}`;
  return `Terugbetaling te veel ontvangen premie polis ${p.number}`;
}

/**
 * `payments export`: accrues what is owed, then puts every pending payout with a known account in
 * one pain.001 (a credit_transfer payment batch) executed on `date`, together with the payouts the
 * bank rejected or returned, each under a new EndToEndId (`<first id>-A<attempt>`). The file is
 * written before the transaction commits, so a failed write leaves every payout as it was.
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
        "p.status",
        "p.policy_id",
        "p.amount_cents",
        "p.end_to_end_id",
        "p.attempt",
        "p.reject_reason",
        "p.failed_at",
        "p.overpayment_id",
        "pol.number",
        "c.number as claim_number",
      ])
      .where("p.status", "in", ["pending", "rejected", "returned"])
      .orderBy("p.id")
      .forUpdate("p")
      .execute();
    const withoutAccount: MissingAccount[] = [];
    const awaitingAccount: MissingAccount[] = [];
    const ready: ReadyPayout[] = [];
    for (const p of pending) {
      const missing = {
        payoutId: p.id,
        kind: p.kind,
        what: p.claim_number ?? p.number,
        policyNumber: p.number,
        amount: p.amount_cents,
      };
      const target = await payoutTarget(tx, p);
      if (target === "awaiting_account") {
        awaitingAccount.push({ ...missing, reason: p.reject_reason });
        continue;
      }
      if (!target) {
        withoutAccount.push(missing);
        continue;
      }
      const retry = p.status !== "pending";
      const endToEndId = retry ? nextEndToEndId(p) : p.end_to_end_id;
      ready.push({
        id: p.id,
        status: p.status,
        attempt: retry ? p.attempt + 1 : p.attempt,
        bic: target.bic,
        transfer: {
          amount: p.amount_cents,
          endToEndId,
          creditorName: toSepaText(target.name, 70),
          creditorIban: target.iban,
          creditorBic: target.bic ?? undefined,
          remittanceInformation: toSepaText(remittanceOf(p), 140),
        },
      });
    }
    if (ready.length === 0) return { accrued, file: null, withoutAccount, awaitingAccount };
    const file = await writeBatch(tx, ctx, opts, date, ready);
    return { accrued, file, withoutAccount, awaitingAccount };
  });
}

async function writeBatch(
  tx: Tx,
  ctx: Ctx,
  opts: { outDir: string; config: BillingConfig },
  date: IsoDate,
  ready: ReadyPayout[],
) {
  const messageId = `CP-CT-${date.replaceAll("-", "")}-${(await creditTransferFiles(tx, date)) + 1}`;
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
  const batch = {
    id: await insertCreditTransferBatch(tx, ctx, {
      date,
      messageId,
      fileName,
      transactions: ready.length,
      total,
    }),
  };
  for (const r of ready) {
    const updated = await movePayout(tx, r.id, r.status, "exported", {
      batch_id: batch.id,
      end_to_end_id: r.transfer.endToEndId,
      attempt: r.attempt,
      failed_at: null,
      payee_name: r.transfer.creditorName,
      iban: r.transfer.creditorIban,
      bic: r.bic,
    });
    if (updated.adjustment_id !== null) {
      await setRefundBatch(tx, updated.adjustment_id, batch.id);
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
