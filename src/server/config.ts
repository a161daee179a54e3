import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { type BillingConfig, billingConfig, DEMO_CREDITOR } from "../billing/index.ts";
import { DEFAULT_CLAIMS_CONFIG } from "../claims/index.ts";
import { type Db, openDatabase } from "../db/connection.ts";
import { openEmbedded } from "../db/template.ts";
import { DEFAULT_HTTP_CONFIG, type HttpConfig } from "../http/config.ts";
import {
  DEFAULT_LOGIN_BACKOFF,
  DEFAULT_TOKEN_LIFETIME,
  type LoginBackoff,
  type TokenLifetime,
} from "../identity/index.ts";
import { AppError, ValidationError } from "../shared/errors.ts";
import { type Settings, settingProblem, settingsSchema } from "./settings.ts";

/** Every setting of `npm start`, from the environment (documented in README.md "Settings"). */
export interface ServerConfig {
  port: number;
  host: string;
  /** A PostgreSQL server; when unset, the embedded PGlite in `<dataDir>/pglite`. */
  databaseUrl: string | null;
  dataDir: string;
  /** Load the demo data into an empty database: default on for the embedded database only. */
  seedDemo: boolean;
  /** How long a start waits for an unreachable database, retrying with backoff. */
  databaseWaitSeconds: number;
  /** Shared rate-limit windows across instances; null: in memory, per process. */
  redisUrl: string | null;
  billing: BillingConfig;
  /** On the embedded database, run the scheduled jobs in this process (RUN_JOBS, default on). */
  runJobs: boolean;
  /** Where scheduled jobs write bank files (BANK_DIR, default `<dataDir>/bank`). */
  bankDir: string;
  http: HttpConfig;
}

type Env = Record<string, string | undefined>;

function refuse(line: string): never {
  throw new AppError("validation_failed", line);
}

/**
 * SESSION_SECRET, else a secret generated on first start and kept (mode 0600) in the data dir,
 * so sessions survive restarts and no secret ever sits in the repository.
 */
export function sessionSecret(env: Env, dataDir: string): string {
  const given = env.SESSION_SECRET?.trim();
  if (given) {
    if (given.length < 32)
      throw new AppError("validation_failed", "SESSION_SECRET must be at least 32 characters");
    return given;
  }
  const file = join(dataDir, "session-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString("base64url");
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
  return secret;
}

function loginBackoff(v: Settings): LoginBackoff {
  const d = DEFAULT_LOGIN_BACKOFF;
  const maxSeconds = v.LOGIN_BACKOFF_MAX_SECONDS ?? d.maxSeconds;
  if (maxSeconds > d.forgetAfterSeconds)
    refuse(
      `LOGIN_BACKOFF_MAX_SECONDS must be a whole number from 1 to ${d.forgetAfterSeconds} (got "${maxSeconds}")`,
    );
  const baseSeconds = v.LOGIN_BACKOFF_SECONDS ?? Math.min(d.baseSeconds, maxSeconds);
  if (baseSeconds > maxSeconds)
    refuse(`LOGIN_BACKOFF_SECONDS must be a whole number from 1 to ${maxSeconds} (got "${baseSeconds}")`);
  return { ...d, freeAttempts: v.LOGIN_FAILURES_BEFORE_BACKOFF ?? d.freeAttempts, baseSeconds, maxSeconds };
}

function tokenLifetime(v: Settings): TokenLifetime {
  const d = DEFAULT_TOKEN_LIFETIME;
  const maxDays = v.API_TOKEN_MAX_DAYS ?? d.maxDays;
  const defaultDays = v.API_TOKEN_DEFAULT_DAYS ?? Math.min(d.defaultDays, maxDays);
  if (defaultDays > maxDays)
    refuse(`API_TOKEN_DEFAULT_DAYS must be a whole number from 1 to ${maxDays} (got "${defaultDays}")`);
  return { defaultDays, maxDays };
}

function claims(v: Settings) {
  const d = DEFAULT_CLAIMS_CONFIG;
  const q = d.evidenceQuota;
  return {
    fourEyesAboveCents: v.FOUR_EYES_ABOVE_CENTS ?? d.fourEyesAboveCents,
    evidenceMaxBytes: v.EVIDENCE_MAX_BYTES ?? d.evidenceMaxBytes,
    evidenceQuota: {
      perClaim: {
        files: v.EVIDENCE_FILES_PER_CLAIM ?? q.perClaim.files,
        bytes: v.EVIDENCE_BYTES_PER_CLAIM ?? q.perClaim.bytes,
      },
      perPolicyholder: {
        files: v.EVIDENCE_FILES_PER_POLICYHOLDER ?? q.perPolicyholder.files,
        bytes: v.EVIDENCE_BYTES_PER_POLICYHOLDER ?? q.perPolicyholder.bytes,
      },
    },
  };
}

const perMinute = (max: number | undefined, fallback: number) => ({ max: max ?? fallback, windowMs: 60_000 });

function billing(env: Env): BillingConfig {
  try {
    return billingConfig(env);
  } catch (e) {
    if (e instanceof ValidationError && e.issues[0]) refuse(`${e.issues[0].path} ${e.issues[0].message}`);
    throw e;
  }
}

/**
 * On a real database (DATABASE_URL) the server is a production one: it refuses what would run
 * silently wrong there. Without SESSION_SECRET each instance would make its own (a cookie from
 * one is refused by the next); with the demo creditor customers would be told to pay the demo
 * IBAN and the bank files would collect for it.
 */
function productionProblem(v: Settings, b: BillingConfig): string | null {
  if (!v.SESSION_SECRET)
    return "SESSION_SECRET is required with DATABASE_URL (every instance must sign sessions with the same secret): set at least 32 random characters, e.g. `openssl rand -base64 48`";
  const names = ["BILLING_CREDITOR_NAME", "BILLING_CREDITOR_ID", "BILLING_CREDITOR_IBAN"] as const;
  const missing = names.find((n) => !v[n]);
  if (missing)
    return `${missing} is required with DATABASE_URL: without it the demo creditor (${DEMO_CREDITOR.name}) would bill your customers; set ${names.join(", ")} to the insurer's own`;
  if (b.creditor.iban === DEMO_CREDITOR.iban)
    return `BILLING_CREDITOR_IBAN is the demo IBAN ${DEMO_CREDITOR.iban}; with DATABASE_URL set the insurer's own`;
  if (b.creditor.creditorId === DEMO_CREDITOR.creditorId)
    return `BILLING_CREDITOR_ID is the demo creditor id ${DEMO_CREDITOR.creditorId}; with DATABASE_URL set the insurer's own`;
  return null;
}

/** Parses and checks every setting; a problem is one line naming the variable (the CLI exits 2). */
export function loadServerConfig(env: Env = process.env): ServerConfig {
  const parsed = settingsSchema.safeParse(env);
  if (!parsed.success) refuse(settingProblem(parsed.error));
  const v = parsed.data;
  const databaseUrl = v.DATABASE_URL ?? null;
  const billingSettings = billing(env);
  const problem = databaseUrl ? productionProblem(v, billingSettings) : null;
  if (problem) refuse(problem);
  const dataDir = resolve(v.DATA_DIR ?? "./data");
  const port = v.PORT ?? 3000;
  const host = v.HOST ?? "127.0.0.1";
  const d = DEFAULT_HTTP_CONFIG;
  return {
    port,
    host,
    databaseUrl,
    dataDir,
    seedDemo: v.SEED_DEMO ?? databaseUrl === null,
    databaseWaitSeconds: v.DATABASE_WAIT_SECONDS ?? 60,
    redisUrl: v.REDIS_URL ?? null,
    billing: billingSettings,
    runJobs: v.RUN_JOBS ?? true,
    bankDir: resolve(v.BANK_DIR ?? join(dataDir, "bank")),
    http: {
      ...d,
      sessionSecret: sessionSecret(env, dataDir),
      cookieSecure: v.COOKIE_SECURE ?? d.cookieSecure,
      sessionTtlSeconds: v.SESSION_TTL_SECONDS ?? d.sessionTtlSeconds,
      loginRateLimit: {
        max: v.LOGIN_RATE_LIMIT ?? d.loginRateLimit.max,
        windowMs: d.loginRateLimit.windowMs,
      },
      loginBackoff: loginBackoff(v),
      tokenLifetime: tokenLifetime(v),
      rateLimits: {
        general: perMinute(v.RATE_LIMIT, d.rateLimits.general.max),
        exports: perMinute(v.EXPORT_RATE_LIMIT, d.rateLimits.exports.max),
        uploads: perMinute(v.UPLOAD_RATE_LIMIT, d.rateLimits.uploads.max),
      },
      logLevel: v.LOG_LEVEL ?? d.logLevel,
      publicUrl: v.PUBLIC_URL ?? `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
      trustProxy: v.TRUST_PROXY ?? d.trustProxy,
      metricsToken: v.METRICS_TOKEN ?? null,
      // Development on the embedded database: the links of logged mails are shown at info level.
      mailLinkLogLevel: databaseUrl ? "debug" : "info",
      claims: claims(v),
    },
  };
}

/** The configured database: PostgreSQL when DATABASE_URL is set, else PGlite in `<dataDir>/pglite`. */
export function openFor(config: ServerConfig): Promise<Db> {
  return config.databaseUrl
    ? openDatabase({ url: config.databaseUrl })
    : openEmbedded({ dataDir: join(config.dataDir, "pglite") });
}
