import type { Tx } from "../../db/schema.ts";
import type { Cents } from "../../shared/money.ts";
import { chargeByReference } from "./charge-settle.ts";
import { invoiceByReference } from "./settle.ts";

export interface CollectionRef {
  what: "invoice" | "charge";
  reference: string;
  policyId: string;
  amount: Cents;
  batchId: number | null;
}

/**
 * What a debit's EndToEndId (or a reference a payer quoted) names: one of our invoices, else a
 * charge collected on its own. Invoice references are `<policy>-<yyyymmdd>`, charge references
 * `<policy>-C<id>`, so the two can't collide.
 */
export async function collectionByReference(tx: Tx, reference: string): Promise<CollectionRef | undefined> {
  const inv = await invoiceByReference(tx, reference);
  if (inv) {
    return {
      what: "invoice",
      reference: inv.reference,
      policyId: inv.policy_id,
      amount: inv.amount_cents,
      batchId: inv.batch_id,
    };
  }
  const charge = await chargeByReference(tx, reference);
  if (!charge) return undefined;
  return {
    what: "charge",
    reference: charge.reference,
    policyId: charge.policy_id,
    amount: charge.amount_cents,
    batchId: charge.batch_id,
  };
}
