import { recordAudit } from "../audit/index.ts";
import type { Tx } from "../db/schema.ts";
import { postEntry } from "../ledger/index.ts";
import type { Ctx } from "../shared/context.ts";
import type { IsoDate } from "../shared/dates.ts";
import type { Cents } from "../shared/money.ts";
import { insertOverpaymentPayout } from "./store.ts";

export interface OverpaymentInput {
  policyId: string;
  reference: string;
  amount: Cents;
  payerName: string | null;
  payerIban: string | null;
  receivedOn: IsoDate;
  bankImportId: number | null;
  /** Unique per bank transaction (`bank:<import>:<path>`): the same money is never recorded twice. */
  source: string;
}

/**
 * Money received that was not owed (an invoice paid twice, more than was outstanding): Dr bank /
 * Cr overpayments ("Te veel ontvangen"), and a payout of kind `overpayment` that the next
 * `payments export` sends back to the payer's account (Dr overpayments / Cr bank on execution).
 */
export async function recordOverpayment(
  tx: Tx,
  ctx: Ctx,
  input: OverpaymentInput,
): Promise<{ id: number; endToEndId: string } | null> {
  const row = await tx
    .insertInto("overpayments")
    .values({
      policy_id: input.policyId,
      reference: input.reference,
      amount_cents: input.amount,
      payer_name: input.payerName,
      payer_iban: input.payerIban,
      received_on: input.receivedOn,
      bank_import_id: input.bankImportId,
      source: input.source,
      created_at: ctx.now,
    })
    .onConflict((oc) => oc.column("source").doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!row) return null;
  await postEntry(tx, ctx, {
    postedOn: input.receivedOn,
    kind: "overpayment",
    source: `overpayment:${row.id}`,
    policyId: input.policyId,
    description: `overpayment on ${input.reference}, to be paid back`,
    lines: [
      { account: "bank", amount: input.amount },
      { account: "overpayments", amount: -input.amount },
    ],
  });
  const endToEndId = `OVERPAID-${row.id}`;
  await insertOverpaymentPayout(tx, ctx, {
    policyId: input.policyId,
    overpaymentId: row.id,
    amount: input.amount,
    endToEndId,
    receivedOn: input.receivedOn,
  });
  await recordAudit(tx, ctx, {
    action: "overpayment.recorded",
    entityType: "overpayment",
    entityId: String(row.id),
    policyId: input.policyId,
    after: { reference: input.reference, amount: input.amount, receivedOn: input.receivedOn, endToEndId },
  });
  return { id: row.id, endToEndId };
}
