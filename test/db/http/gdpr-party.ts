import { defaultCatalog } from "../../../src/products/catalog.ts";
import type { Ctx } from "../../../src/shared/context.ts";

/** The party to erase: a `"` to be JSON-escaped, accents, mixed case; the account holder in SEPA letters. */
export const Q = {
  name: `Quirijn "Q" Ébène-Zwart`,
  holder: "Quirijn Ebene-Zwart",
  email: "Quirijn.Ebene@Example.test",
  phone: "+31 6 1234 5678",
  iban: "NL20INGB0001234567",
  newIban: "NL02ABNA0123456789",
  payoutIban: "BE71096123456769",
} as const;

/** The values to look for afterwards, and the IBAN also as people write it. */
export const PLANTED = [...Object.values(Q), "NL20 INGB 0001 2345 67"];

export const ctxAt = (iso: string): Ctx => ({ actor: "test", now: new Date(iso), catalog: defaultCatalog() });
