import { electronicFormatIBAN, isSEPACountry, isValidBIC, isValidIBAN } from "ibantools";
import { z } from "zod";
import { ValidationError } from "../shared/errors.ts";
import { isValidCreditorId, normaliseCreditorId } from "./creditor-id.ts";
import { sepaIdProblem, toSepaText } from "./sepa-text.ts";

/** Zod building blocks for the writers' inputs; every failure names its field via the zod path. */

export const ibanField = z
  .string()
  .overwrite((v) => electronicFormatIBAN(v) ?? v)
  .refine(isValidIBAN, { message: "is not a valid IBAN" })
  .refine((v) => isSEPACountry(v.slice(0, 2)), { message: "is not an IBAN of a SEPA country" });

export const bicField = z
  .string()
  .overwrite((v) => v.replace(/\s+/g, "").toUpperCase())
  .refine(isValidBIC, { message: "is not a valid BIC" });

export const creditorIdField = z
  .string()
  .overwrite(normaliseCreditorId)
  .refine(isValidCreditorId, { message: "is not a valid SEPA creditor identifier (format or check digits)" });

export function sepaIdField(maxLength = 35) {
  return z
    .string()
    .overwrite((v) => v.trim())
    .superRefine((v, ctx) => {
      const problem = sepaIdProblem(v, maxLength);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    });
}

/** Free text transliterated to the SEPA set; `required` rejects text that transliterates to nothing. */
export function sepaTextField(maxLength: number, required: boolean) {
  return z
    .string()
    .overwrite((v) => toSepaText(v, maxLength))
    .refine((v) => !required || v.length > 0, { message: "must contain at least one SEPA character" });
}

export const calendarDate = z.iso.date({ message: "must be a calendar date YYYY-MM-DD" });

/** SEPA amounts are 0.01 … 999 999 999.99 EUR per transaction. */
export const centsField = z
  .number()
  .int({ message: "must be an integer number of cents" })
  .min(1, { message: "must be at least 1 cent" })
  .max(99_999_999_999, { message: "must be at most 999999999.99 EUR" });

export const instant = z
  .date()
  .refine((d) => !Number.isNaN(d.getTime()), { message: "must be a valid date" });

/** Parses with the schema or throws a ValidationError whose issues carry paths like `transactions[2].debtorIban`. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError(
    result.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })),
  );
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

/** ISO date-time in UTC without milliseconds: unambiguous whatever the server's time zone. */
export function isoDateTimeUtc(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Indexes of repeated values, for the "EndToEndId must be unique" rule that makes returns matchable. */
function duplicateIndexes(values: readonly string[]): number[] {
  const seen = new Set<string>();
  const dups: number[] = [];
  values.forEach((v, i) => {
    if (seen.has(v)) dups.push(i);
    seen.add(v);
  });
  return dups;
}

/** Flags every transaction whose EndToEndId already stands earlier in the file. */
export function refineUniqueEndToEndIds(
  transactions: readonly { endToEndId: string }[],
  ctx: z.RefinementCtx,
) {
  for (const i of duplicateIndexes(transactions.map((t) => t.endToEndId))) {
    ctx.addIssue({
      code: "custom",
      path: ["transactions", i, "endToEndId"],
      message: "is not unique in the file",
    });
  }
}
