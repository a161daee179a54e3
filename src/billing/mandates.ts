import { electronicFormatIBAN, isValidBIC, isValidIBAN } from "ibantools";
import { recordAudit } from "../audit/service.ts";
import type { Tx } from "../db/schema.ts";
import type { Ctx } from "../shared/context.ts";
import type { IsoDate } from "../shared/dates.ts";
import { AppError, NotFoundError, ValidationError } from "../shared/errors.ts";
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

/** Registers the SEPA mandate a policy is collected under; replaces (revokes) an earlier one. */
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
    .select(["id", "number"])
    .where("id", "=", input.policyId)
    .executeTakeFirst();
  if (!policy) throw new NotFoundError("policy", input.policyId);
  const earlier = await tx
    .updateTable("sepa_mandates")
    .set({ revoked_on: input.signedOn })
    .where("policy_id", "=", policy.id)
    .where("revoked_on", "is", null)
    .returning("reference")
    .execute();
  const count = await tx
    .selectFrom("sepa_mandates")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("policy_id", "=", policy.id)
    .executeTakeFirstOrThrow();
  const mandate = await tx
    .insertInto("sepa_mandates")
    .values({
      // Time-ordered like policy ids, so a billing chunk's mandates lie together too.
      id: uuidv7(),
      policy_id: policy.id,
      reference: `${policy.number}-M${Number(count.n)}`,
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
