import {
  DEFAULT_LINK_LIFETIMES,
  DEFAULT_LOGIN_BACKOFF,
  DEFAULT_TOKEN_LIFETIME,
  type LinkLifetimes,
  type LoginBackoff,
  type TokenLifetime,
} from "../identity/index.ts";
import type { RateLimits } from "./rate-limits.ts";

/** What the HTTP layer needs from the outside; the server fills it from the environment. */
export interface HttpConfig {
  /** Signs session cookies; from SESSION_SECRET or a file generated in the data dir. */
  sessionSecret: string;
  /** `Secure` cookies: on unless COOKIE_SECURE=false (plain-HTTP deployments behind nothing). */
  cookieSecure: boolean;
  sessionTtlSeconds: number;
  /** Login attempts per client address and window (in memory, per process). */
  loginRateLimit: { max: number; windowMs: number };
  /** Failed logins per account (address) before a growing wait; kept in the database. */
  loginBackoff: LoginBackoff;
  /** API tokens: the lifetime when none is asked for, and the longest one may ask for. */
  tokenLifetime: TokenLifetime;
  /** Requests per principal (else per address) and window: every route, exports, uploads. */
  rateLimits: RateLimits;
  /** Request bodies above this many bytes are refused (413). */
  bodyLimit: number;
  /** The pino level; "silent" in tests. */
  logLevel: string;
  /** Where the portal is reached; links in account e-mails point below it (PUBLIC_URL). */
  publicUrl: string;
  /** How long the links of account e-mails work, in seconds. */
  linkLifetimes: LinkLifetimes;
  /**
   * Behind a reverse proxy: Fastify's `trustProxy` (true, a hop count, or addresses), so the
   * client address (rate limits, logs) comes from X-Forwarded-For. false: the socket's address.
   */
  trustProxy: boolean | number | string;
  /**
   * While no mail transport is configured, account mails are logged (address masked, never a
   * password); the link they carry is logged at this level: "info" for development on the
   * embedded database, "debug" on a real one (a link in a log is a key to an account).
   */
  mailLinkLogLevel: "info" | "debug";
  /** A bearer token that may read /metrics (a scraper has no login); staff may read it too. */
  metricsToken: string | null;
  /** Claims handling: four-eyes threshold, evidence size (defaults in src/claims/config.ts). */
  claims?: Partial<import("../claims/index.ts").ClaimsConfig>;
}

export const DEFAULT_HTTP_CONFIG: Omit<HttpConfig, "sessionSecret"> = {
  cookieSecure: true,
  sessionTtlSeconds: 12 * 60 * 60,
  loginRateLimit: { max: 10, windowMs: 60_000 },
  loginBackoff: DEFAULT_LOGIN_BACKOFF,
  tokenLifetime: DEFAULT_TOKEN_LIFETIME,
  rateLimits: {
    general: { max: 600, windowMs: 60_000 },
    exports: { max: 3, windowMs: 60_000 },
    uploads: { max: 30, windowMs: 60_000 },
  },
  bodyLimit: 1_048_576,
  logLevel: "info",
  publicUrl: "http://127.0.0.1:3000",
  linkLifetimes: DEFAULT_LINK_LIFETIMES,
  trustProxy: false,
  metricsToken: null,
  mailLinkLogLevel: "debug",
};

export const SESSION_COOKIE = "cp_session";
export const CSRF_HEADER = "x-csrf-token";
export { IDEMPOTENCY_HEADER } from "../idempotency/index.ts";
