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

// Reads for account mails (src/flows/accounts.ts): no lock, a sign-up or invitation only reads.

/** What account mails need of a household: whom to greet, in which language, at which address. */
export interface PartyContact {
  id: string;
  name: string;
  email: string | null;
  language: Language;
}

/** A party that is not erased, by id. */
export async function livePartyContact(tx: Tx, partyId: string): Promise<PartyContact | undefined> {
  return tx
    .selectFrom("parties")
    .select(["id", "name", "email", "language"])
    .where("id", "=", partyId)
    .where("erased_at", "is", null)
    .executeTakeFirst();
}

/**
 * The one party (not erased) with this e-mail address, any letter case; undefined when none or
 * when several households share it (then staff must invite the right one's login).
 */
export async function partyByEmail(tx: Tx, email: string): Promise<PartyContact | undefined> {
  const rows = await tx
    .selectFrom("parties")
    .select(["id", "name", "email", "language"])
    .where((eb) => eb(eb.fn("lower", ["email"]), "=", email.trim().toLowerCase()))
    .where("erased_at", "is", null)
    .limit(2)
    .execute();
  return rows.length === 1 ? rows[0] : undefined;
}
