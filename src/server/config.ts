import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
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
import { AppError } from "../shared/errors.ts";

/** Every setting of `npm start`, from the environment (documented in README.md). */
export interface ServerConfig {
  port: number;
  host: string;
  /** A PostgreSQL server; when unset, the embedded PGlite in `<dataDir>/pglite`. */
  databaseUrl: string | null;
  dataDir: string;
  /** Load the demo data into an empty database: default on for the embedded database only. */
  seedDemo: boolean;
  /** On the embedded database, run the scheduled jobs in this process (RUN_JOBS, default on). */
  runJobs: boolean;
  /** Where scheduled jobs write bank files (BANK_DIR, default `<dataDir>/bank`). */
  bankDir: string;
  http: HttpConfig;
}

type Env = Record<string, string | undefined>;

function flag(env: Env, name: string, fallback: boolean): boolean {
  const v = env[name];
  if (v === undefined || v === "") return fallback;
  if (/^(1|true|yes|on)$/i.test(v)) return true;
  if (/^(0|false|no|off)$/i.test(v)) return false;
  throw new AppError("validation_failed", `${name} must be true or false (got "${v}")`);
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const v = env[name];
  if (v === undefined || v === "") return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new AppError(
      "validation_failed",
      `${name} must be a whole number from ${min} to ${max} (got "${v}")`,
    );
  return n;
}

function evidenceQuota(env: Env) {
  const q = DEFAULT_CLAIMS_CONFIG.evidenceQuota;
  const files = (name: string, fallback: number) => int(env, name, fallback, 1, 100_000);
  const bytes = (name: string, fallback: number) => int(env, name, fallback, 1024, 1e12);
  return {
    perClaim: {
      files: files("EVIDENCE_FILES_PER_CLAIM", q.perClaim.files),
      bytes: bytes("EVIDENCE_BYTES_PER_CLAIM", q.perClaim.bytes),
    },
    perPolicyholder: {
      files: files("EVIDENCE_FILES_PER_POLICYHOLDER", q.perPolicyholder.files),
      bytes: bytes("EVIDENCE_BYTES_PER_POLICYHOLDER", q.perPolicyholder.bytes),
    },
  };
}

function perMinute(env: Env, name: string, fallback: number) {
  return { max: int(env, name, fallback, 1, 1_000_000), windowMs: 60_000 };
}

/**
 * SESSION_SECRET, else a secret generated on first start and kept (mode 0600) in the data dir,
 * so sessions survive restarts and no secret ever sits in the repository.
 */
export function sessionSecret(env: Env, dataDir: string): string {
  const given = env.SESSION_SECRET;
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

function loginBackoff(env: Env): LoginBackoff {
  const d = DEFAULT_LOGIN_BACKOFF;
  const maxSeconds = int(env, "LOGIN_BACKOFF_MAX_SECONDS", d.maxSeconds, 1, d.forgetAfterSeconds);
  return {
    ...d,
    freeAttempts: int(env, "LOGIN_FAILURES_BEFORE_BACKOFF", d.freeAttempts, 1, 1000),
    baseSeconds: int(env, "LOGIN_BACKOFF_SECONDS", d.baseSeconds, 1, maxSeconds),
    maxSeconds,
  };
}

function tokenLifetime(env: Env): TokenLifetime {
  const d = DEFAULT_TOKEN_LIFETIME;
  const maxDays = int(env, "API_TOKEN_MAX_DAYS", d.maxDays, 1, 3650);
  return {
    defaultDays: int(env, "API_TOKEN_DEFAULT_DAYS", Math.min(d.defaultDays, maxDays), 1, maxDays),
    maxDays,
  };
}

export function loadServerConfig(env: Env = process.env): ServerConfig {
  const dataDir = resolve(env.DATA_DIR || "./data");
  const databaseUrl = env.DATABASE_URL || null;
  return {
    port: int(env, "PORT", 3000, 0, 65_535),
    host: env.HOST || "127.0.0.1",
    databaseUrl,
    dataDir,
    seedDemo: flag(env, "SEED_DEMO", databaseUrl === null),
    runJobs: flag(env, "RUN_JOBS", true),
    bankDir: resolve(env.BANK_DIR || join(dataDir, "bank")),
    http: {
      ...DEFAULT_HTTP_CONFIG,
      sessionSecret: sessionSecret(env, dataDir),
      cookieSecure: flag(env, "COOKIE_SECURE", DEFAULT_HTTP_CONFIG.cookieSecure),
      sessionTtlSeconds: int(
        env,
        "SESSION_TTL_SECONDS",
        DEFAULT_HTTP_CONFIG.sessionTtlSeconds,
        60,
        30 * 86_400,
      ),
      loginRateLimit: {
        max: int(env, "LOGIN_RATE_LIMIT", DEFAULT_HTTP_CONFIG.loginRateLimit.max, 1, 10_000),
        windowMs: DEFAULT_HTTP_CONFIG.loginRateLimit.windowMs,
      },
      loginBackoff: loginBackoff(env),
      tokenLifetime: tokenLifetime(env),
      rateLimits: {
        general: perMinute(env, "RATE_LIMIT", DEFAULT_HTTP_CONFIG.rateLimits.general.max),
        exports: perMinute(env, "EXPORT_RATE_LIMIT", DEFAULT_HTTP_CONFIG.rateLimits.exports.max),
        uploads: perMinute(env, "UPLOAD_RATE_LIMIT", DEFAULT_HTTP_CONFIG.rateLimits.uploads.max),
      },
      logLevel: env.LOG_LEVEL || DEFAULT_HTTP_CONFIG.logLevel,
      claims: {
        fourEyesAboveCents: int(
          env,
          "FOUR_EYES_ABOVE_CENTS",
          DEFAULT_CLAIMS_CONFIG.fourEyesAboveCents,
          0,
          1e11,
        ),
        evidenceMaxBytes: int(
          env,
          "EVIDENCE_MAX_BYTES",
          DEFAULT_CLAIMS_CONFIG.evidenceMaxBytes,
          1024,
          50 * 1024 * 1024,
        ),
        evidenceQuota: evidenceQuota(env),
      },
    },
  };
}

/** The configured database: PostgreSQL when DATABASE_URL is set, else PGlite in `<dataDir>/pglite`. */
export function openFor(config: ServerConfig): Promise<Db> {
  return config.databaseUrl
    ? openDatabase({ url: config.databaseUrl })
    : openEmbedded({ dataDir: join(config.dataDir, "pglite") });
}
