import { type FilterObject, sql } from "kysely";
import { recordAudit } from "../../audit/index.ts";
import type { Database, Tx } from "../../db/schema.ts";
import { postEntry } from "../../ledger/index.ts";
import { loadPolicy, recordPremiumPayment, recordPremiumReminder } from "../../policies/index.ts";
import type { Ctx } from "../../shared/context.ts";
import type { IsoDate } from "../../shared/dates.ts";
import { AppError } from "../../shared/errors.ts";
import { eur } from "../../shared/i18n/index.ts";
import type { Cents } from "../../shared/money.ts";
import type { BillingConfig } from "../config.ts";
import { premiumDefaultLetter } from "../dunning/letters.ts";
import type { InvoiceStatus } from "../tables.ts";

/**
 * An invoice and a charge collected on its own are both premium receivable: paid and returned with
 * the same bookings, checks and audit. A Receivable holds what tells them apart.
 */

type Table = "invoices" | "charge_collections";

interface Row {
  reference: string;
  policy_id: string;
  status: InvoiceStatus;
  paid_cents: number;
}

export interface Receivable<R extends Row> {
  noun: "invoice" | "charge";
  table: Table;
  key(r: R): FilterObject<Database, Table>;
  outstanding(tx: Tx, r: R): Promise<Cents>;
  /** Why the row can't be paid or returned at all (a conflict), or undefined. */
  refusePay(r: R): string | undefined;
  refuseReturn(r: R): string | undefined;
  /** How a return's ledger entry names the debit. */
  debit(r: R): string;
  /** The premium_reminders of this row: a payment settles them. */
  reminders(r: R): FilterObject<Database, "premium_reminders">;
  /** What recordPremiumPayment settles the reminder by. */
  premiumLink(r: R): { invoicePeriodStart: IsoDate } | { adjustmentId: number };
}

/** The row's status moved from what was read, or a conflict: someone else changed it first. */
async function compareAndSet<R extends Row>(
  tx: Tx,
  kind: Receivable<R>,
  r: R,
  values:
    | { status: "paid"; paid_cents: number; settled_on: IsoDate }
    | { status: "returned"; paid_cents: 0; returned_on: IsoDate; return_reason: string },
) {
  const updated = await tx
    .updateTable(kind.table)
    .set(values)
    .where((eb) => eb.and({ ...kind.key(r), status: r.status }))
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) {
    throw new AppError("conflict", `${kind.noun} ${r.reference} changed concurrently; retry`);
  }
}

/** `<noun>.paid` or `<noun>.returned` in the audit log, with the row as it was read. */
function auditMove<R extends Row>(
  tx: Tx,
  ctx: Ctx,
  kind: Receivable<R>,
  r: R,
  after: { status: "paid" | "returned"; [detail: string]: unknown },
) {
  return recordAudit(tx, ctx, {
    action: `${kind.noun}.${after.status}`,
    entityType: kind.noun,
    entityId: r.reference,
    policyId: r.policy_id,
    before: { status: r.status, paid: r.paid_cents },
    after,
  });
}

/**
 * Money received: Dr bank / Cr receivable, the row paid. When the premium was in default (returned,
 * or reminded), the premium-default process hears of it through recordPremiumPayment, which ends a
 * suspension the day after `receivedOn`.
 */
export async function payReceivable<R extends Row>(
  tx: Tx,
  ctx: Ctx,
  kind: Receivable<R>,
  input: { row: R; amount: Cents; receivedOn: IsoDate; source: string },
): Promise<"paid" | "already_paid"> {
  const r = input.row;
  if (r.status === "paid") return "already_paid";
  const refused = kind.refusePay(r);
  if (refused) throw new AppError("conflict", refused);
  const owed = await kind.outstanding(tx, r);
  if (input.amount !== owed) {
    throw new AppError(
      "validation_failed",
      `amount ${eur(input.amount)} doesn't match ${kind.noun} ${r.reference}, which has ${eur(owed)} outstanding`,
    );
  }
  await compareAndSet(tx, kind, r, {
    status: "paid",
    paid_cents: r.paid_cents + input.amount,
    settled_on: input.receivedOn,
  });
  await postEntry(tx, ctx, {
    postedOn: input.receivedOn,
    kind: "collection",
    source: input.source,
    policyId: r.policy_id,
    description: `payment of ${kind.noun} ${r.reference}`,
    lines: [
      { account: "bank", amount: input.amount },
      { account: "premium_receivable", amount: -input.amount },
    ],
  });
  const reminded = await tx
    .selectFrom("premium_reminders")
    .select(sql<number>`count(*)::int4`.as("n"))
    .where((eb) => eb.and(kind.reminders(r)))
    .executeTakeFirstOrThrow();
  if (r.status === "returned" || Number(reminded.n) > 0) {
    await recordPremiumPayment(tx, ctx, {
      policyId: r.policy_id,
      receivedOn: input.receivedOn,
      amount: input.amount,
      reference: r.reference,
      ...kind.premiumLink(r),
    });
  }
  await auditMove(tx, ctx, kind, r, { status: "paid", amount: input.amount, receivedOn: input.receivedOn });
  return "paid";
}

/**
 * A direct debit the bank rejected or returned. If it had been booked as collected, the collection
 * is reversed (Dr receivable / Cr bank); a row still open only changes status. `source` makes the
 * entry idempotent per bank file.
 */
export async function returnReceivable<R extends Row>(
  tx: Tx,
  ctx: Ctx,
  kind: Receivable<R>,
  input: { row: R; reason: string; returnedOn: IsoDate; source: string },
): Promise<"returned" | "already_returned"> {
  const r = input.row;
  if (r.status === "returned") return "already_returned";
  const refused = kind.refuseReturn(r);
  if (refused) throw new AppError("conflict", refused);
  await compareAndSet(tx, kind, r, {
    status: "returned",
    paid_cents: 0,
    returned_on: input.returnedOn,
    return_reason: input.reason,
  });
  if (r.paid_cents > 0) {
    await postEntry(tx, ctx, {
      postedOn: input.returnedOn,
      kind: "collection",
      source: input.source,
      policyId: r.policy_id,
      description: `${kind.debit(r)} returned (${input.reason})`,
      lines: [
        { account: "premium_receivable", amount: r.paid_cents },
        { account: "bank", amount: -r.paid_cents },
      ],
    });
  }
  await auditMove(tx, ctx, kind, r, {
    status: "returned",
    reason: input.reason,
    returnedOn: input.returnedOn,
  });
  return "returned";
}

/**
 * The reminder or formal notice for a row in default (dunning), linked to it, and its letter in the
 * outbox. The caller has checked, under the row lock, that `amount` is owed and not reminded yet.
 */
export async function remindReceivable<R extends Row>(
  tx: Tx,
  ctx: Ctx,
  kind: Receivable<R>,
  input: {
    row: R & { period_start: IsoDate; period_end: IsoDate; return_reason: string | null };
    amount: Cents;
    dueDate: IsoDate;
    date: IsoDate;
    config: BillingConfig;
  },
) {
  return remindArrears(tx, ctx, kind, [input], input.date, input.config);
}

/**
 * Arrears of one policy in one letter: a reminder row per unpaid invoice or charge (a payment
 * settles each on its own; cover is suspended on the letter's term), one letter naming them all
 * with their total. `items` belong to one policy, oldest first.
 */
export async function remindArrears<R extends Row>(
  tx: Tx,
  ctx: Ctx,
  kind: Receivable<R>,
  items: {
    row: R & { period_start: IsoDate; period_end: IsoDate; return_reason: string | null };
    amount: Cents;
    dueDate: IsoDate;
  }[],
  date: IsoDate,
  config: BillingConfig,
) {
  const first = items[0];
  if (!first) return [];
  const { policy, product } = await loadPolicy(tx, ctx, first.row.policy_id);
  const party = await tx
    .selectFrom("parties")
    .select(["name", "language"])
    .where("id", "=", policy.party_id)
    .executeTakeFirstOrThrow();
  const reminders = [];
  for (const item of items) {
    const { reminder } = await recordPremiumReminder(tx, ctx, {
      policyId: item.row.policy_id,
      dueDate: item.dueDate,
      reminderDate: date,
      amount: item.amount,
      ...kind.premiumLink(item.row),
    });
    reminders.push(reminder);
  }
  const total = items.reduce((s, i) => s + i.amount, 0);
  const letter = premiumDefaultLetter({
    product,
    policyNumber: policy.number,
    recipient: party.name,
    reference: first.row.reference,
    amount: total,
    periodStart: first.row.period_start,
    periodEnd: items.at(-1)!.row.period_end,
    dueDate: first.dueDate,
    letterDate: date,
    returnReason: items.length === 1 && first.row.status === "returned" ? first.row.return_reason : null,
    language: party.language,
    country: product.country,
    payTo: { name: config.creditor.name, iban: config.creditor.iban },
    periods: items.map((i) => ({
      reference: i.row.reference,
      amount: i.amount,
      periodStart: i.row.period_start,
      periodEnd: i.row.period_end,
      dueDate: i.dueDate,
    })),
  });
  const link = kind.premiumLink(first.row);
  await tx
    .insertInto("premium_letters")
    .values({
      policy_id: first.row.policy_id,
      reminder_id: reminders[0]!.id,
      adjustment_id: "adjustmentId" in link ? link.adjustmentId : null,
      kind: letter.kind,
      language: letter.language,
      recipient: party.name,
      subject: letter.subject,
      body: letter.body,
      letter_date: date,
      suspension_from: letter.suspensionFrom,
      created_at: ctx.now,
      sent_at: null,
    })
    .execute();
  return items.map((i) => ({
    reference: i.row.reference,
    policyId: i.row.policy_id,
    kind: letter.kind,
    amount: i.amount,
    suspensionFrom: letter.suspensionFrom,
  }));
}
