import { dictionary } from "@zxcvbn-ts/language-common";

/**
 * Which passwords a new or reset password may not be (pure): shorter than the minimum, one of
 * the common passwords of zxcvbn-ts's list (30,000 from real breaches, any letter case), or the
 * account's own e-mail address or its local part.
 */
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 1024;

let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  common ??= new Set(dictionary["passwords-common"].map((p) => p.toLowerCase()));
  return common;
}

/** Why `password` is refused, as the message of a validation issue; null when it is fine. */
export function passwordProblem(password: string, email?: string): string | null {
  // Counted in code points: a password of emoji is as long as it looks.
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (length > MAX_PASSWORD_LENGTH) return `must be at most ${MAX_PASSWORD_LENGTH} characters`;
  const lower = password.toLowerCase();
  if (commonPasswords().has(lower) || commonPasswords().has(lower.trim()))
    return "is one of the most common passwords; choose another";
  if (email) {
    const address = email.trim().toLowerCase();
    if (lower === address || lower === address.split("@")[0]) return "must not be your e-mail address";
  }
  return null;
}
