import { hash, verify } from "@node-rs/argon2";

/**
 * argon2id with the library defaults (19 MiB, 2 passes: the OWASP minimum). The algorithm is not
 * passed explicitly because the binding's enum is a `const enum` that isolated modules cannot read;
 * argon2id is its default, and a unit test checks the `$argon2id$` prefix so that can't drift.
 */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    // A malformed stored hash must read as "wrong password", never as a server error.
    return false;
  }
}

/** A hash of a random password, verified against when the email is unknown so timing reveals nothing. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hash(crypto.randomUUID());
  return decoy;
}
