import { electronicFormatIBAN, isValidBIC, isValidIBAN } from "ibantools";
import { recordAudit } from "../audit/index.ts";
import { checkDebtorMandate } from "../bank/index.ts";
import type { Tx } from "../db/schema.ts";
import type { Ctx } from "../shared/context.ts";
import { dateIn, type IsoDate } from "../shared/dates.ts";
import { AppError, type FieldIssue, NotFoundError, ValidationError } from "../shared/errors.ts";
import { uuidv7 } from "../shared/ids.ts";

export interface MandateInput {
  policyId: string;
  accountHolder: string;
  iban: string;
  bic?: string | null;
  signedOn: IsoDate;
  consentText: string;
}

/** "NL91ABNA0417164300" → "NL91 **** **** **43 00": what logs and audit views may show. */
export function maskIban(iban: string): string {
  const e = electronicFormatIBAN(iban) ?? iban;
  return e.slice(0, 4) + e.slice(4, -4).replace(/./g, "*") + e.slice(-4);
}

export function normaliseIban(iban: string, field = "iban"): string {
  const e = electronicFormatIBAN(iban);
  if (!e || !isValidIBAN(e))
    throw new ValidationError(
      [{ path: field, message: "is not a valid IBAN (check digits or length)" }],
      "invalid_iban",
    );
  return e;
}

/**
 * Why a mandate cannot be registered, as issues under `prefix` (e.g. "mandate."): the bank rule
 * every debit under it must pass (src/bank/mandate.ts), with a signature no later than `today`, the
 * date of the request's clock. The mandate reference is generated from the policy number: checked
 * with the first one of the policy, since the rule limits only its characters and length.
 */
export function mandateIssues(
  input: Omit<MandateInput, "policyId" | "consentText">,
  today: IsoDate,
  prefix = "",
  reference = "P-M0",
): FieldIssue[] {
  const { issues } = checkDebtorMandate(
    {
      mandateId: reference,
      mandateSignatureDate: input.signedOn,
      debtorName: input.accountHolder,
      debtorIban: input.iban,
      debtorBic: input.bic ?? undefined,
    },
    { date: today, what: "today" },
  );
  const names: Record<string, string> = {
    mandateId: "reference",
    mandateSignatureDate: "signedOn",
    debtorName: "accountHolder",
    debtorIban: "iban",
    debtorBic: "bic",
  };
  return issues.map((i) => ({ path: prefix + (names[i.path] ?? i.path), message: i.message }));
}

/** Throws the ValidationError of `mandateIssues` (code invalid_iban when only the IBAN is wrong). */
export function assertMandate(
  input: Omit<MandateInput, "policyId" | "consentText">,
  today: IsoDate,
  prefix = "",
  reference?: string,
): void {
  const issues = mandateIssues(input, today, prefix, reference);
  if (issues.length === 0) return;
  const ibanOnly = issues.every((i) => i.path === `${prefix}iban`);
  throw new ValidationError(issues, ibanOnly ? "invalid_iban" : "validation_failed");
}

/**
 * Registers the SEPA mandate a policy is collected under; replaces (revokes) an earlier one. The
 * mandate must pass the bank rule (`mandateIssues`) with a signature no later than today in the
 * product's time zone: a debit the pain.008 can't carry would otherwise surface only at billing.
 */
export async function registerMandate(tx: Tx, ctx: Ctx, input: MandateInput) {
  const iban = normaliseIban(input.iban);
  const bic = input.bic ? input.bic.replace(/\s+/g, "").toUpperCase() : null;
  if (bic && !isValidBIC(bic)) throw new ValidationError([{ path: "bic", message: "is not a valid BIC" }]);
  if (input.accountHolder.trim() === "")
    throw new ValidationError([{ path: "accountHolder", message: "is required" }]);
  if (input.consentText.trim() === "")
    throw new ValidationError([{ path: "consentText", message: "is required" }]);
  const policy = await tx
    .selectFrom("policies")
    .select(["id", "number", "product_code", "product_version"])
    .where("id", "=", input.policyId)
    .executeTakeFirst();
  if (!policy) throw new NotFoundError("policy", input.policyId);
  const today = dateIn(ctx.now, ctx.catalog.get(policy.product_code, policy.product_version).timeZone);
  const count = await tx
    .selectFrom("sepa_mandates")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("policy_id", "=", policy.id)
    .executeTakeFirstOrThrow();
  const reference = `${policy.number}-M${Number(count.n)}`;
  assertMandate({ ...input, iban, bic }, today, "", reference);
  const earlier = await tx
    .updateTable("sepa_mandates")
    .set({ revoked_on: input.signedOn })
    .where("policy_id", "=", policy.id)
    .where("revoked_on", "is", null)
    .returning("reference")
    .execute();
  const mandate = await tx
    .insertInto("sepa_mandates")
    .values({
      // Time-ordered like policy ids, so a billing chunk's mandates lie together too.
      id: uuidv7(),
      policy_id: policy.id,
      reference,
      account_holder: input.accountHolder.trim(),
      iban,
      bic,
      signed_on: input.signedOn,
      consent_text: input.consentText,
      revoked_on: null,
      created_at: ctx.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(tx, ctx, {
    action: "mandate.registered",
    entityType: "policy",
    entityId: policy.id,
    policyId: policy.id,
    before: earlier.length > 0 ? { revoked: earlier.map((e) => e.reference) } : undefined,
    after: { reference: mandate.reference, iban: maskIban(iban), signedOn: mandate.signed_on },
  });
  return mandate;
}

export async function activeMandate(tx: Tx, policyId: string) {
  const m = await tx
    .selectFrom("sepa_mandates")
    .selectAll()
    .where("policy_id", "=", policyId)
    .where("revoked_on", "is", null)
    .executeTakeFirst();
  if (!m) throw new AppError("not_found", `policy ${policyId} has no active SEPA mandate`);
  return m;
}
