import { createHash, randomBytes } from "node:crypto";

/** 256 random bits, URL-safe: session cookies, API tokens and CSRF tokens. */
export function newToken(prefix = ""): string {
  return prefix + randomBytes(32).toString("base64url");
}

/** Only this digest is stored, so reading the database does not yield a usable session or token. */
export function tokenHash(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
