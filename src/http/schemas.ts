import { z } from "zod";

/** Shared request/response pieces so every route spells money, dates and ids the same way. */

/** Money on the API: a non-negative decimal euro string with two decimals at most ("12.34"). */
export const money = z
  .string()
  .regex(/^\d{1,13}(\.\d{1,2})?$/, "must be a decimal euro amount such as 12.34")
  .meta({ example: "12.34" });

/** A calendar date, "YYYY-MM-DD". */
export const isoDate = z.iso.date("must be a date YYYY-MM-DD").meta({ example: "2026-03-01" });

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
