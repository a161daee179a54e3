import type { Tx } from "../db/schema.ts";
import type { Language } from "../shared/i18n/index.ts";

/** What account mails need of a household: whom to greet, in which language, at which address. */
export interface PartyContact {
  id: string;
  name: string;
  email: string | null;
  language: Language;
}

/** A party that is not erased, by id. */
export async function partyContact(tx: Tx, partyId: string): Promise<PartyContact | undefined> {
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
