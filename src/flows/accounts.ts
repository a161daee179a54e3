import type { Tx } from "../db/schema.ts";
import { type AccountMail, inviteUser, type LinkSettings, signUp, type UserRow } from "../identity/index.ts";
import { livePartyContact, partyByEmail } from "../parties/index.ts";
import type { Ctx } from "../shared/context.ts";
import { NotFoundError, ValidationError } from "../shared/errors.ts";

/**
 * Account use cases that need the household: a sign-up finds the policyholder's party by the
 * address it gave (the one the policy was taken out with), an invitation of a policyholder login
 * greets the household by name in its language.
 */
export async function signUpByEmail(
  tx: Tx,
  ctx: Ctx,
  input: { email: string; password: string; links: LinkSettings },
): Promise<AccountMail | null> {
  const party = (await partyByEmail(tx, input.email)) ?? null;
  return signUp(tx, ctx, { ...input, party });
}

export async function invitePolicyholderLogin(
  tx: Tx,
  ctx: Ctx,
  input: { partyId: string; email: string | null; links: LinkSettings },
): Promise<{ user: UserRow; mail: AccountMail }> {
  const party = await livePartyContact(tx, input.partyId);
  if (!party) throw new NotFoundError("party", input.partyId);
  const email = input.email ?? party.email;
  if (!email)
    throw new ValidationError([{ path: "email", message: "the household has no e-mail address; give one" }]);
  return inviteUser(tx, ctx, {
    email,
    role: "policyholder",
    displayName: party.name,
    partyId: party.id,
    language: party.language,
    links: input.links,
  });
}
