import type { Selectable } from "kysely";
import type { Tx } from "../../db/schema.ts";
import { ERASED_PASSWORD } from "../model.ts";
import type { Role } from "../roles.ts";
import type { UsersTable } from "../tables.ts";

/**
 * The only code on `users`. Locking rules: a change to one user (role, disabled, password,
 * verification) is one compare-and-set UPDATE that names the state it expects, so two admins
 * changing one user at once cannot both win; `lockUser` (FOR UPDATE) is for a use case that
 * reads a user and then writes other rows that depend on it (a password reset). E-mail
 * uniqueness is the database's (`users_email_idx` on lower(email)): a racing second insert
 * fails on the index and the HTTP layer answers 409.
 */

export type UserRow = Selectable<UsersTable>;

const byEmail = (email: string) => email.trim().toLowerCase();

export async function findUserByEmail(tx: Tx, email: string): Promise<UserRow | undefined> {
  return tx
    .selectFrom("users")
    .selectAll()
    .where((eb) => eb(eb.fn("lower", ["email"]), "=", byEmail(email)))
    .executeTakeFirst();
}

/** Only users that may log in: not disabled, address verified. */
export async function findLoginUser(tx: Tx, email: string): Promise<UserRow | undefined> {
  return tx
    .selectFrom("users")
    .selectAll()
    .where((eb) => eb(eb.fn("lower", ["email"]), "=", byEmail(email)))
    .where("disabled_at", "is", null)
    .where("email_verified_at", "is not", null)
    .executeTakeFirst();
}

export async function findUser(tx: Tx, id: string): Promise<UserRow | undefined> {
  return tx.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function lockUser(tx: Tx, id: string): Promise<UserRow | undefined> {
  return tx.selectFrom("users").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
}

export async function userExists(tx: Tx, userId: string): Promise<boolean> {
  return (
    (await tx.selectFrom("users").select("id").where("id", "=", userId).executeTakeFirst()) !== undefined
  );
}

export async function anyUserExists(tx: Tx): Promise<boolean> {
  return (await tx.selectFrom("users").select("id").limit(1).executeTakeFirst()) !== undefined;
}

/** The logins of a party (a household may have had one before, and erased ones stay as rows). */
export async function partyUserRows(tx: Tx, partyId: string) {
  return tx
    .selectFrom("users")
    .select(["id", "email", "display_name"])
    .where("party_id", "=", partyId)
    .execute();
}

export async function listUsers(tx: Tx, page: { limit: number; offset: number; role?: Role }) {
  let q = tx.selectFrom("users").selectAll();
  if (page.role) q = q.where("role", "=", page.role);
  return q.orderBy("created_at").orderBy("id").limit(page.limit).offset(page.offset).execute();
}

export async function countUsers(tx: Tx, role?: Role): Promise<number> {
  let q = tx.selectFrom("users").select((eb) => eb.fn.countAll<string>().as("n"));
  if (role) q = q.where("role", "=", role);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

export interface UserInsert {
  email: string;
  passwordHash: string;
  role: Role;
  partyId: string | null;
  displayName: string;
  now: Date;
  verifiedAt: Date | null;
}

export async function insertUser(tx: Tx, u: UserInsert): Promise<UserRow> {
  return tx
    .insertInto("users")
    .values({
      email: byEmail(u.email),
      password_hash: u.passwordHash,
      role: u.role,
      party_id: u.partyId,
      display_name: u.displayName,
      created_at: u.now,
      disabled_at: null,
      email_verified_at: u.verifiedAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Compare-and-set: only a user that is not disabled is disabled (and reported once). */
export async function setDisabled(tx: Tx, id: string, now: Date): Promise<UserRow | undefined> {
  return tx
    .updateTable("users")
    .set({ disabled_at: now })
    .where("id", "=", id)
    .where("disabled_at", "is", null)
    .returningAll()
    .executeTakeFirst();
}

/** Compare-and-set: only a disabled user is enabled again. */
export async function clearDisabled(tx: Tx, id: string): Promise<UserRow | undefined> {
  return tx
    .updateTable("users")
    .set({ disabled_at: null })
    .where("id", "=", id)
    .where("disabled_at", "is not", null)
    .returningAll()
    .executeTakeFirst();
}

/** Compare-and-set on the role it had: a staff role is never given to a policyholder login. */
export async function setRole(tx: Tx, id: string, from: Role, to: Role): Promise<UserRow | undefined> {
  return tx
    .updateTable("users")
    .set({ role: to })
    .where("id", "=", id)
    .where("role", "=", from)
    .returningAll()
    .executeTakeFirst();
}

/** A new password; `verifiedAt` also marks the address proven (an invitation or reset link was read). */
export async function setPassword(tx: Tx, id: string, passwordHash: string, verifiedAt: Date) {
  await tx
    .updateTable("users")
    .set((eb) => ({
      password_hash: passwordHash,
      email_verified_at: eb.fn.coalesce("email_verified_at", eb.val(verifiedAt)),
    }))
    .where("id", "=", id)
    .execute();
}

/** Compare-and-set: only an unverified address is verified. */
export async function setVerified(tx: Tx, id: string, now: Date): Promise<boolean> {
  const r = await tx
    .updateTable("users")
    .set({ email_verified_at: now })
    .where("id", "=", id)
    .where("email_verified_at", "is", null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** GDPR erasure: the row stays (audit entries name it) but holds nothing of the person. */
export async function eraseUser(tx: Tx, id: string, alias: string, now: Date) {
  await tx
    .updateTable("users")
    .set({
      email: `${id}@erased.invalid`,
      display_name: alias,
      password_hash: ERASED_PASSWORD,
      disabled_at: now,
    })
    .where("id", "=", id)
    .execute();
}

export async function emailsOf(tx: Tx, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await tx.selectFrom("users").select("email").where("id", "in", ids).execute();
  return rows.map((r) => r.email);
}
