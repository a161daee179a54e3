import type { Tx } from "../db/schema.ts";

/** Whom a letter goes to: the party's name, e-mail address and language (issue 13). */
export function partyContact(tx: Tx, partyId: string) {
  return tx
    .selectFrom("parties")
    .select(["id", "name", "email", "language", "erased_at"])
    .where("id", "=", partyId)
    .executeTakeFirst();
}
