import type { Tx } from "../db/schema.ts";
import type { Ctx } from "../shared/context.ts";
import type { IsoDate } from "../shared/dates.ts";
import type { Language } from "../shared/i18n/index.ts";

/**
 * The writer of `parties`: a person is created when a policy is bound for them, their language
 * set when they choose one, and their identifying values cut out by GDPR erasure (erase.ts, which
 * locks the row first). No other lock: a party row carries no invariant that two writers could
 * break together; the policy rows that point at it are locked by the policies module.
 */

export interface NewParty {
  name: string;
  email: string | null;
  phone: string | null;
  birthDate: IsoDate | null;
  country: string;
  language: Language;
}

export async function insertParty(tx: Tx, ctx: Ctx, party: NewParty): Promise<string> {
  const row = await tx
    .insertInto("parties")
    .values({
      name: party.name,
      email: party.email,
      phone: party.phone,
      birth_date: party.birthDate,
      country: party.country,
      language: party.language,
      created_at: ctx.now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function setPartyLanguage(tx: Tx, partyId: string, language: Language): Promise<void> {
  await tx.updateTable("parties").set({ language }).where("id", "=", partyId).execute();
}

export async function partyExists(tx: Tx, partyId: string): Promise<boolean> {
  return (
    (await tx.selectFrom("parties").select("id").where("id", "=", partyId).executeTakeFirst()) !== undefined
  );
}
