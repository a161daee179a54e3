import { z } from "zod";
import type { FieldIssue } from "../shared/errors.ts";
import { bicField, calendarDate, formatPath, ibanField, sepaIdField, sepaTextField } from "./fields.ts";

/**
 * What a SEPA Core direct debit carries of its mandate and debtor: the one rule for both the
 * registration of a mandate (src/billing/mandates.ts, the API) and the pain.008 writer
 * (pain008.ts), so a mandate the platform accepts is one every later file can carry.
 */
export const mandateFields = {
  mandateId: sepaIdField(),
  // xs:date has no year 0000; the EPC schema would refuse the file.
  mandateSignatureDate: calendarDate.refine((d) => d >= "0001-01-01", { message: "is not a valid year" }),
  // EPC SDD Core limits party names to 70 characters (the ISO type allows 140).
  debtorName: sepaTextField(70, true),
  debtorIban: ibanField,
  debtorBic: bicField.optional(),
};

const mandateSchema = z.object(mandateFields);

export type DebtorMandate = z.input<typeof mandateSchema>;
export type ValidDebtorMandate = z.output<typeof mandateSchema>;

/** The writer's check of a signature against the date its debit is collected on (or, at registration, today). */
export function signatureProblem(signedOn: string, notAfter: string, what: string): string | null {
  // ISO dates compare correctly as strings.
  return signedOn > notAfter ? `is after ${what} ${notAfter}` : null;
}

/**
 * Why a debit under this mandate could not go into a pain.008 whose debits are collected on
 * `notAfter` or later (empty when it can), and the fields as the file writes them.
 */
export function checkDebtorMandate(
  mandate: DebtorMandate,
  notAfter: { date: string; what: string },
): { issues: FieldIssue[]; valid: ValidDebtorMandate | null } {
  const result = mandateSchema.safeParse(mandate);
  const issues: FieldIssue[] = result.success
    ? []
    : result.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
  const late = signatureProblem(mandate.mandateSignatureDate, notAfter.date, notAfter.what);
  if (late && !issues.some((i) => i.path === "mandateSignatureDate")) {
    issues.push({ path: "mandateSignatureDate", message: late });
  }
  return { issues, valid: result.success && issues.length === 0 ? result.data : null };
}
