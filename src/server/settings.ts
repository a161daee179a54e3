import { z } from "zod";

/**
 * Every environment variable of `npm start`, in one zod schema (README "Settings" lists them).
 * Each field parses one variable's text; an empty variable counts as unset. Rules between
 * variables, and the rules of a production deployment (DATABASE_URL), are in `superRefine`, so
 * the one parse names the first setting to fix. Messages follow the variable's name:
 * "PORT must be a whole number from 0 to 65535 (got "http")".
 */

const blank = (v: string | undefined): v is undefined => v === undefined || v.trim() === "";

function int(min: number, max: number) {
  return z
    .string()
    .optional()
    .transform((v, c) => {
      if (blank(v)) return undefined;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        c.addIssue({ code: "custom", message: `must be a whole number from ${min} to ${max} (got "${v}")` });
        return z.NEVER;
      }
      return n;
    });
}

const flag = z
  .string()
  .optional()
  .transform((v, c) => {
    if (blank(v)) return undefined;
    if (/^(1|true|yes|on)$/i.test(v)) return true;
    if (/^(0|false|no|off)$/i.test(v)) return false;
    c.addIssue({ code: "custom", message: `must be true or false (got "${v}")` });
    return z.NEVER;
  });

const text = z
  .string()
  .optional()
  .transform((v) => (blank(v) ? undefined : v.trim()));

function url(protocols: readonly string[], example: string) {
  return text.refine(
    (v) => {
      if (v === undefined) return true;
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL such as ${example}` },
  );
}

function secret(min: number) {
  return text.refine((v) => v === undefined || v.length >= min, {
    message: `must be at least ${min} characters (e.g. \`openssl rand -base64 48\`)`,
  });
}

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/**
 * TRUST_PROXY: "true" (every hop: only behind a proxy that overwrites X-Forwarded-For), a number
 * of hops, or addresses/CIDRs separated by commas (the proxies' own addresses).
 */
const trustProxy = z
  .string()
  .optional()
  .transform((v, c): boolean | number | string | undefined => {
    if (blank(v)) return undefined;
    // A number is a count of proxies in front (1: one load balancer), 0 none.
    if (/^\d+$/.test(v)) return Number(v) === 0 ? false : Number(v);
    if (/^(true|yes|on)$/i.test(v)) return true;
    if (/^(false|no|off)$/i.test(v)) return false;
    if (/^[0-9a-fA-F.:/,\s]+$/.test(v)) return v.replace(/\s+/g, "");
    c.addIssue({
      code: "custom",
      message: `must be true, false, a number of proxies or their addresses (got "${v}")`,
    });
    return z.NEVER;
  });

export const settingsSchema = z.object({
  PORT: int(0, 65_535),
  HOST: text,
  DATABASE_URL: url(["postgres:", "postgresql:"], "postgres://user:password@host:5432/cyberpolis"),
  DATA_DIR: text,
  DATABASE_WAIT_SECONDS: int(0, 3600),
  SEED_DEMO: flag,
  RUN_JOBS: flag,
  BANK_DIR: text,
  PUBLIC_URL: url(["http:", "https:"], "https://verzekering.example.nl"),
  TRUST_PROXY: trustProxy,
  REDIS_URL: url(["redis:", "rediss:"], "redis://127.0.0.1:6379"),
  METRICS_TOKEN: secret(32),
  LOG_LEVEL: text.refine((v) => v === undefined || (LOG_LEVELS as readonly string[]).includes(v), {
    message: `must be one of ${LOG_LEVELS.join(", ")}`,
  }),
  SESSION_SECRET: secret(32),
  COOKIE_SECURE: flag,
  SESSION_TTL_SECONDS: int(60, 30 * 86_400),
  LOGIN_RATE_LIMIT: int(1, 10_000),
  LOGIN_FAILURES_BEFORE_BACKOFF: int(1, 1000),
  LOGIN_BACKOFF_SECONDS: int(1, 86_400),
  LOGIN_BACKOFF_MAX_SECONDS: int(1, 86_400),
  API_TOKEN_MAX_DAYS: int(1, 3650),
  API_TOKEN_DEFAULT_DAYS: int(1, 3650),
  RATE_LIMIT: int(1, 1_000_000),
  EXPORT_RATE_LIMIT: int(1, 1_000_000),
  UPLOAD_RATE_LIMIT: int(1, 1_000_000),
  FOUR_EYES_ABOVE_CENTS: int(0, 1e11),
  EVIDENCE_MAX_BYTES: int(1024, 50 * 1024 * 1024),
  EVIDENCE_FILES_PER_CLAIM: int(1, 100_000),
  EVIDENCE_BYTES_PER_CLAIM: int(1024, 1e12),
  EVIDENCE_FILES_PER_POLICYHOLDER: int(1, 100_000),
  EVIDENCE_BYTES_PER_POLICYHOLDER: int(1024, 1e12),
  // The billing module checks these itself (src/billing/config.ts); here they are known names.
  BILLING_CREDITOR_NAME: text,
  BILLING_CREDITOR_ID: text,
  BILLING_CREDITOR_IBAN: text,
  BILLING_CREDITOR_BIC: text,
  BILLING_PRENOTIFICATION_DAYS: text,
  BILLING_CHUNK_SIZE: text,
});

export type Settings = z.output<typeof settingsSchema>;

/** The first problem of a failed parse as one line that names the variable. */
export function settingProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  const name = issue?.path.map(String).join(".") || "settings";
  return `${name} ${issue?.message ?? "is invalid"}`;
}
