import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type Insertable, type Kysely, sql } from "kysely";
import { recordAudit } from "../../audit/index.ts";
import {
  buildDirectDebitFile,
  checkDebtorMandate,
  type DirectDebitTransaction,
  toSepaText,
} from "../../bank/index.ts";
import type { Database, Tx } from "../../db/schema.ts";
import type { Ctx } from "../../shared/context.ts";
import { addDays, type IsoDate, parseDate } from "../../shared/dates.ts";
import type { Language } from "../../shared/i18n/index.ts";
import { type Cents, sum } from "../../shared/money.ts";
import type { ChargeCollectionsTable } from "../collections-tables.ts";
import type { BillingConfig } from "../config.ts";
import { chargePaymentRequest, chargePreNotification } from "../dunning/charge-letters.ts";
import { setAsidePaymentRequest } from "../dunning/set-aside-letter.ts";
import { settleDueCharges } from "./charge-settle.ts";

export interface ChargeFile {
  path: string;
  messageId: string;
  collectionDate: IsoDate;
  transactions: number;
  total: Cents;
}

export interface ChargesRun {
  date: IsoDate;
  /** Debits of charges whose collection date came: booked as paid. */
  collected: string[];
  /** Charges taken up for a debit (in `files`), and for a payment request letter. */
  debited: string[];
  requested: string[];
  files: ChargeFile[];
}

interface PendingCharge {
  id: number;
  policy_id: string;
  period_start: IsoDate;
  period_end: IsoDate;
  effective_date: IsoDate;
  amount_cents: number;
  number: string;
  holder: string;
  /** The parties.language check constraint keeps it one of the three. */
  holder_language: Language;
  product_code: string;
  product_version: number;
  payment_method: string;
  mandate_id: string | null;
  mandate_reference: string | null;
  account_holder: string | null;
  iban: string | null;
  bic: string | null;
  signed_on: IsoDate | null;
  used_before: boolean;
}

/**
 * `billing charges --date D`: positive corrections (kind `charge`, already on premium receivable)
 * are collected on their own. First the debits whose collection date has come are booked as paid
 * (Dr bank / Cr receivable). Then every charge not taken up yet becomes a `charge_collections`
 * row with reference `<policy number>-C<adjustment id>`: a direct-debit payer with an active
 * mandate gets a pre-notification letter and a debit (RCUR on the mandate, FRST if it was never
 * used) in a pain.008.001.08 of its own per collection date, D + the pre-notification days; anyone
 * else gets a payment request letter, due on that date, settled by transfer or `billing pay`.
 * One transaction; the files are written before it commits, so a failed write takes nothing up.
 */
export async function runCharges(
  db: Kysely<Database>,
  ctx: Ctx,
  opts: { date: string; outDir: string; config: BillingConfig },
): Promise<ChargesRun> {
  const date = parseDate(opts.date, "date");
  const dueDate = addDays(date, Math.max(1, opts.config.preNotificationDays));
  return db.transaction().execute(async (tx) => {
    const collected = await settleDueCharges(tx, ctx, date);
    const pending = await pendingCharges(tx, date);
    const debits: { charge: PendingCharge; reference: string; transaction: DirectDebitTransaction }[] = [];
    const requested: string[] = [];
    const rows: Insertable<ChargeCollectionsTable>[] = [];
    for (const c of pending) {
      const reference = `${c.number}-C${c.id}`;
      const base = {
        policyNumber: c.number,
        recipient: c.holder,
        reference,
        amount: c.amount_cents,
        periodStart: c.period_start,
        periodEnd: c.period_end,
        effectiveDate: c.effective_date,
        letterDate: date,
        dueDate,
        language: c.holder_language,
        country: ctx.catalog.get(c.product_code, c.product_version).country,
      };
      const wantsDebit = c.payment_method === "sepa_direct_debit" && c.mandate_id !== null;
      // A mandate the bank file can't carry must not sink every other charge's file: that charge is
      // asked for by transfer, with the reason kept for finance (the run's debits do the same).
      const setAside = wantsDebit ? mandateProblem(c, dueDate) : null;
      const byDebit = wantsDebit && setAside === null;
      rows.push({
        adjustment_id: c.id,
        policy_id: c.policy_id,
        reference,
        method: byDebit ? "direct_debit" : "transfer",
        amount_cents: c.amount_cents,
        mandate_id: byDebit ? c.mandate_id : null,
        sequence_type: byDebit ? (c.used_before ? "RCUR" : "FRST") : null,
        due_date: dueDate,
        batch_id: null,
        set_aside_reason: setAside,
        created_on: date,
        created_at: ctx.now,
      });
      const letter = byDebit
        ? chargePreNotification({
            ...base,
            mandateReference: c.mandate_reference!,
            iban: c.iban!,
            creditorId: opts.config.creditor.creditorId,
          })
        : setAside !== null
          ? setAsidePaymentRequest({
              ...base,
              payTo: { name: opts.config.creditor.name, iban: opts.config.creditor.iban },
            })
          : chargePaymentRequest({
              ...base,
              payTo: { name: opts.config.creditor.name, iban: opts.config.creditor.iban },
            });
      await tx
        .insertInto("premium_letters")
        .values({
          policy_id: c.policy_id,
          reminder_id: null,
          adjustment_id: c.id,
          kind: letter.kind,
          language: letter.language,
          recipient: c.holder,
          subject: letter.subject,
          body: letter.body,
          letter_date: date,
          suspension_from: null,
          created_at: ctx.now,
          sent_at: null,
        })
        .execute();
      if (setAside !== null) {
        await recordAudit(tx, ctx, {
          action: "billing.debit_set_aside",
          entityType: "policy",
          entityId: c.policy_id,
          policyId: c.policy_id,
          after: { reference, charge: c.id, reason: setAside },
        });
      }
      if (!byDebit) {
        requested.push(reference);
        continue;
      }
      debits.push({
        charge: c,
        reference,
        transaction: {
          sequenceType: c.used_before ? "RCUR" : "FRST",
          amount: c.amount_cents,
          endToEndId: reference,
          mandateId: c.mandate_reference!,
          mandateSignatureDate: c.signed_on!,
          debtorName: toSepaText(c.account_holder!, 70),
          debtorIban: c.iban!,
          debtorBic: c.bic ?? undefined,
          remittanceInformation: toSepaText(`Aanvullende premie polis ${c.number} ${reference}`, 140),
        },
      });
    }
    const file = debits.length > 0 ? await writeChargeFile(tx, ctx, opts, dueDate, debits) : null;
    // Inserted once the debits' batch exists: a debit's row always names its file.
    for (const r of rows) {
      await tx
        .insertInto("charge_collections")
        .values({ ...r, batch_id: r.method === "direct_debit" ? file!.batchId : null })
        .execute();
    }
    const files = file ? [file.written] : [];
    if (pending.length > 0 || collected.length > 0) {
      await recordAudit(tx, ctx, {
        action: "billing.charges",
        entityType: "charges_run",
        entityId: date,
        after: { collected, debited: debits.map((d) => d.reference), requested, files },
      });
    }
    return { date, collected, debited: debits.map((d) => d.reference), requested, files };
  });
}

/** Why the charge's debit could not go into a pain.008 collected on `dueDate`, or null when it can. */
function mandateProblem(c: PendingCharge, dueDate: IsoDate): string | null {
  const { issues } = checkDebtorMandate(
    {
      mandateId: c.mandate_reference ?? "",
      mandateSignatureDate: c.signed_on ?? "",
      debtorName: toSepaText(c.account_holder ?? "", 70),
      debtorIban: c.iban ?? "",
      ...(c.bic ? { debtorBic: c.bic } : {}),
    },
    { date: dueDate, what: "the collection date" },
  );
  return issues.length === 0 ? null : issues.map((i) => `${i.path}: ${i.message}`).join("; ");
}

/** Charges not taken up yet, with the policy's active mandate and whether it was debited before. */
async function pendingCharges(tx: Tx, date: IsoDate): Promise<PendingCharge[]> {
  const rows = await sql<PendingCharge>`
    select a.id, a.policy_id, to_char(a.period_start, 'YYYY-MM-DD') as period_start,
           to_char(i.period_end, 'YYYY-MM-DD') as period_end,
           to_char(a.effective_date, 'YYYY-MM-DD') as effective_date, a.amount_cents::int8 as amount_cents,
           p.number, pa.name as holder, pa.language as holder_language,
           p.product_code, p.product_version, p.payment_method,
           m.id as mandate_id, m.reference as mandate_reference, m.account_holder, m.iban, m.bic,
           to_char(m.signed_on, 'YYYY-MM-DD') as signed_on,
           (m.id is not null and (
              exists (select 1 from invoices i2
                      where i2.policy_id = a.policy_id and i2.mandate_id = m.id and i2.batch_id is not null)
              or exists (select 1 from charge_collections c2 where c2.mandate_id = m.id))) as used_before
    from billing_adjustments a
    join policies p on p.id = a.policy_id
    join parties pa on pa.id = p.party_id
    join invoices i on i.policy_id = a.policy_id and i.period_start = a.period_start
    left join sepa_mandates m on m.policy_id = a.policy_id and m.revoked_on is null
    where a.kind = 'charge' and a.created_on <= ${date}::date
      and not exists (select 1 from charge_collections c where c.adjustment_id = a.id)
    order by a.id
    for update of a`.execute(tx);
  return rows.rows;
}

async function writeChargeFile(
  tx: Tx,
  ctx: Ctx,
  opts: { outDir: string; config: BillingConfig },
  collectionDate: IsoDate,
  debits: { reference: string; transaction: DirectDebitTransaction }[],
): Promise<{ batchId: number; written: ChargeFile }> {
  const compact = collectionDate.replaceAll("-", "");
  const count = await tx
    .selectFrom("payment_batches")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("kind", "=", "direct_debit")
    .where("message_id", "like", `CP-CH-${compact}-%`)
    .executeTakeFirstOrThrow();
  // CP-CH-<collection date>-<n>: its payment infos are `<MsgId>-RCUR`/`-FRST` (pain.008 writer).
  const messageId = `CP-CH-${compact}-${Number(count.n) + 1}`;
  const transactions = debits.map((d) => d.transaction);
  // The general writer validates every field (IBAN, mandate, unique EndToEndIds) and names the bad one.
  const xml = buildDirectDebitFile({
    messageId,
    createdAt: ctx.now,
    collectionDate,
    creditor: opts.config.creditor,
    transactions,
  });
  const total = sum(transactions.map((t) => t.amount));
  const fileName = `pain008-charges-${collectionDate}-${messageId}.xml`;
  const batch = await tx
    .insertInto("payment_batches")
    .values({
      kind: "direct_debit",
      run_id: null,
      collection_date: collectionDate,
      message_id: messageId,
      status: "written",
      file_name: fileName,
      transactions: transactions.length,
      total_cents: total,
      created_at: ctx.now,
      written_at: ctx.now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await mkdir(opts.outDir, { recursive: true });
  const path = join(opts.outDir, fileName);
  await writeFile(path, xml);
  return {
    batchId: batch.id,
    written: { path, messageId, collectionDate, transactions: transactions.length, total },
  };
}
