import { z } from "zod";
import { DATE_RANGE, isSupportedDate } from "../shared/dates.ts";
import type { FieldIssue } from "../shared/errors.ts";

/** Shared request/response pieces so every route spells money, dates and ids the same way. */

/** Money in an answer: a non-negative decimal euro string with two decimals at most ("12.34"). */
export const money = z
  .string()
  .regex(/^\d{1,13}(\.\d{1,2})?$/, "must be a decimal euro amount such as 12.34")
  .meta({ example: "12.34" });

/**
 * An amount sent to the API: at most 9,999,999,999.99, so that even the sum of a list of them
 * (20 loss lines) and every surcharge on it stay exact integer cents, far below 2^53.
 */
export const moneyInput = z
  .string()
  .regex(/^\d{1,10}(\.\d{1,2})?$/, "must be a decimal euro amount such as 12.34, below 10000000000")
  .meta({ example: "12.34" });

/** A calendar date in an answer, "YYYY-MM-DD" (a date derived from input may lie beyond DATE_RANGE). */
export const isoDate = z.iso.date("must be a date YYYY-MM-DD").meta({ example: "2026-03-01" });

/**
 * A calendar date sent to the API: one that exists, in the years the platform handles (no year
 * 0000, which PostgreSQL refuses, and nothing that date arithmetic pushes past 9999).
 */
export const dateInput = z.iso
  .date("must be a date YYYY-MM-DD")
  .refine(isSupportedDate, `must lie between ${DATE_RANGE.min} and ${DATE_RANGE.max}`)
  .meta({ example: "2026-03-01" });

export const uuid = z.uuid("must be an id (UUID)");

export const idParams = z.object({ id: uuid }).strict();

export const household = z.enum(["single", "family"]);
export const paymentFrequency = z.enum(["annual", "half_yearly", "quarterly", "monthly"]);
export const paymentMethod = z.enum(["sepa_direct_debit", "bank_transfer", "partner_invoice"]);

export const texts = z.object({ nl: z.string(), en: z.string(), fr: z.string().optional() });

/** Lists page by `limit`/`offset`; the response says how many there are in all. */
export const pageQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();

export const emptyBody = z.object({}).strict();

/**
 * NUL cannot be stored in a PostgreSQL text or jsonb value, and a lone UTF-16 surrogate is not a
 * character (jsonb refuses it, UTF-8 cannot encode it). `\p{Cs}` with the u flag matches only an
 * unpaired surrogate: a pair is one code point (an emoji) and passes.
 */
const LONE_SURROGATE = /\p{Cs}/u;
const unstorable = (s: string) => s.includes("\0") || LONE_SURROGATE.test(s);

/** Every string in a parsed request part (values and object keys) that the database cannot store. */
export function unstorableText(value: unknown, path: string[] = []): FieldIssue[] {
  if (typeof value === "string") {
    return unstorable(value)
      ? [{ path: path.join("."), message: "must not contain NUL or unpaired surrogate characters" }]
      : [];
  }
  if (value === null || typeof value !== "object" || Buffer.isBuffer(value)) return [];
  return Object.entries(value).flatMap(([key, v]) =>
    unstorable(key)
      ? [{ path: [...path, key].join("."), message: "a key must not contain NUL or unpaired surrogates" }]
      : unstorableText(v, [...path, key]),
  );
}
