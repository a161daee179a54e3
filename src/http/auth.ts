import { timingSafeEqual } from "node:crypto";
import type { FastifyRequest } from "fastify";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
import { type Principal, type Role, resolveApiToken, resolveSession } from "../identity/index.ts";
import { AppError } from "../shared/errors.ts";
import { CSRF_HEADER, SESSION_COOKIE } from "./config.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The raw session token from the signed cookie, or null when absent or tampered with. */
export function sessionToken(request: FastifyRequest): string | null {
  const raw = request.cookies[SESSION_COOKIE];
  if (!raw) return null;
  const unsigned = request.unsignCookie(raw);
  return unsigned.valid ? unsigned.value : null;
}

/** The token of a well-formed `Authorization: Bearer` header, else null. */
export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  const m = header === undefined ? null : /^Bearer ([A-Za-z0-9_\-.~+/]{16,200}=*)$/.exec(header);
  return m ? m[1]! : null;
}

/**
 * A bearer token wins over a cookie: API clients never carry the portal's cookie, and a request
 * that does present a token must not be treated as a (CSRF-checked) browser session.
 */
export async function authenticate(
  db: Kysely<Database>,
  request: FastifyRequest,
  now: Date,
  localCliToken: string | null = null,
): Promise<Principal | null> {
  if (request.headers.authorization !== undefined) {
    const token = bearerToken(request);
    if (token && localCliToken && sameSecret(token, localCliToken)) return LOCAL_CLI;
    return token ? resolveApiToken(db, now, token) : null;
  }
  const token = sessionToken(request);
  return token ? resolveSession(db, now, token) : null;
}

/**
 * The CLI beside a server on the embedded database (src/server/local-cli.ts): the server owns the
 * folder, so the CLI's finance commands go through its API with a secret only the owner of the
 * data folder can read. It acts as finance, never as anyone's policyholder.
 */
const LOCAL_CLI: Principal = {
  userId: "local-cli",
  role: "finance",
  partyId: null,
  email: "cli@localhost",
  displayName: "cyberpolis CLI",
  via: "token",
  csrfToken: null,
};

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Authentication, the route's role list, and the CSRF token for cookie sessions, in that order. */
export function authorize(request: FastifyRequest, principal: Principal | null, roles: readonly Role[]) {
  if (!principal) throw new AppError("unauthenticated", "log in or send a bearer token");
  if (!roles.includes(principal.role)) throw new AppError("forbidden", "your role may not do this");
  if (principal.via === "session" && !SAFE_METHODS.has(request.method)) {
    const sent = request.headers[CSRF_HEADER];
    if (typeof sent !== "string" || !principal.csrfToken || !sameSecret(sent, principal.csrfToken)) {
      throw new AppError("csrf_failed", `send the session's CSRF token in the ${CSRF_HEADER} header`);
    }
  }
  return principal;
}
