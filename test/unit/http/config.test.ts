import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { STATUS, statusOf } from "../../../src/http/problem.ts";
import { hashPassword, verifyPassword } from "../../../src/identity/passwords.ts";
import { loadServerConfig } from "../../../src/server/config.ts";

/** A creditor that is not the demo one (valid check digits), as production must set. */
const INSURER = {
  BILLING_CREDITOR_NAME: "Echte Verzekeringen NV",
  BILLING_CREDITOR_ID: "NL48ZZZ302655000000",
  BILLING_CREDITOR_IBAN: "NL44RABO0123456789",
};

describe("server configuration", () => {
  it("defaults to the embedded database with demo data, and generates a kept secret", () => {
    const dir = mkdtempSync(join(tmpdir(), "cp-config-"));
    const c = loadServerConfig({ DATA_DIR: dir });
    expect(c).toMatchObject({
      port: 3000,
      host: "127.0.0.1",
      databaseUrl: null,
      seedDemo: true,
      dataDir: dir,
    });
    const file = join(dir, "session-secret");
    expect(readFileSync(file, "utf8").trim()).toBe(c.http.sessionSecret);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadServerConfig({ DATA_DIR: dir }).http.sessionSecret).toBe(c.http.sessionSecret);
  });

  it("reads PORT, DATABASE_URL, SESSION_SECRET and flags, refusing nonsense", () => {
    const dir = mkdtempSync(join(tmpdir(), "cp-config-"));
    const c = loadServerConfig({
      DATA_DIR: dir,
      PORT: "8080",
      DATABASE_URL: "postgres://u@h/db",
      SESSION_SECRET: "s".repeat(32),
      COOKIE_SECURE: "false",
      ...INSURER,
    });
    expect(c).toMatchObject({ port: 8080, databaseUrl: "postgres://u@h/db", seedDemo: false });
    expect(c.http).toMatchObject({ sessionSecret: "s".repeat(32), cookieSecure: false });
    expect(() => loadServerConfig({ DATA_DIR: dir, PORT: "http" })).toThrow(/PORT/);
    expect(() => loadServerConfig({ DATA_DIR: dir, SESSION_SECRET: "short" })).toThrow(/SESSION_SECRET/);
    expect(() => loadServerConfig({ DATA_DIR: dir, SEED_DEMO: "maybe" })).toThrow(/SEED_DEMO/);
  });

  it("reads the token lifetimes and the login backoff, a default never above the maximum", () => {
    const dir = mkdtempSync(join(tmpdir(), "cp-config-"));
    expect(loadServerConfig({ DATA_DIR: dir }).http).toMatchObject({
      tokenLifetime: { defaultDays: 90, maxDays: 365 },
      loginBackoff: { freeAttempts: 5, baseSeconds: 30, maxSeconds: 900 },
    });
    const c = loadServerConfig({
      DATA_DIR: dir,
      API_TOKEN_MAX_DAYS: "30",
      LOGIN_FAILURES_BEFORE_BACKOFF: "3",
      LOGIN_BACKOFF_SECONDS: "10",
      LOGIN_BACKOFF_MAX_SECONDS: "60",
    });
    expect(c.http.tokenLifetime).toEqual({ defaultDays: 30, maxDays: 30 });
    expect(c.http.loginBackoff).toMatchObject({ freeAttempts: 3, baseSeconds: 10, maxSeconds: 60 });
    expect(() =>
      loadServerConfig({ DATA_DIR: dir, API_TOKEN_MAX_DAYS: "30", API_TOKEN_DEFAULT_DAYS: "31" }),
    ).toThrow(/API_TOKEN_DEFAULT_DAYS must be a whole number from 1 to 30/);
    expect(() => loadServerConfig({ DATA_DIR: dir, LOGIN_BACKOFF_MAX_SECONDS: "0" })).toThrow(
      /LOGIN_BACKOFF_MAX_SECONDS/,
    );
  });

  it("reads the rate limits and evidence quotas, refusing nonsense", () => {
    const dir = mkdtempSync(join(tmpdir(), "cp-config-"));
    const c = loadServerConfig({
      DATA_DIR: dir,
      SESSION_SECRET: "s".repeat(32),
      RATE_LIMIT: "120",
      EXPORT_RATE_LIMIT: "1",
      EVIDENCE_FILES_PER_CLAIM: "5",
      EVIDENCE_BYTES_PER_POLICYHOLDER: "2048",
    });
    expect(c.http.rateLimits).toEqual({
      general: { max: 120, windowMs: 60_000 },
      exports: { max: 1, windowMs: 60_000 },
      uploads: { max: 30, windowMs: 60_000 },
    });
    expect(c.http.claims?.evidenceQuota).toEqual({
      perClaim: { files: 5, bytes: 25 * 1024 * 1024 },
      perPolicyholder: { files: 100, bytes: 2048 },
    });
    expect(() => loadServerConfig({ DATA_DIR: dir, RATE_LIMIT: "0" })).toThrow(/RATE_LIMIT/);
    expect(() => loadServerConfig({ DATA_DIR: dir, EVIDENCE_FILES_PER_CLAIM: "many" })).toThrow(
      /EVIDENCE_FILES_PER_CLAIM/,
    );
  });
});

describe("problem statuses", () => {
  it("maps every error code, and product-defined refusals to 422", () => {
    expect(statusOf("validation_failed")).toBe(400);
    expect(statusOf("not_found")).toBe(404);
    expect(statusOf("monthly_requires_direct_debit")).toBe(422);
    expect(statusOf("some_product_specific_refusal")).toBe(422);
    for (const status of Object.values(STATUS))
      expect([400, 401, 403, 404, 409, 413, 415, 422, 429, 500, 503]).toContain(status);
  });
});

describe("passwords", () => {
  it("are argon2id hashes that verify, and a broken hash never throws", async () => {
    const h = await hashPassword("a long enough password");
    expect(h).toMatch(/^\$argon2id\$v=19\$/);
    expect(await verifyPassword(h, "a long enough password")).toBe(true);
    expect(await verifyPassword(h, "wrong")).toBe(false);
    expect(await verifyPassword("not-a-hash", "x")).toBe(false);
  });
});

describe("production settings (DATABASE_URL)", () => {
  const dir = mkdtempSync(join(tmpdir(), "cp-config-"));
  const prod = {
    DATA_DIR: dir,
    DATABASE_URL: "postgres://u@h/db",
    SESSION_SECRET: "s".repeat(40),
    ...INSURER,
  };
  const { DATABASE_URL: _, ...embedded } = prod;

  it("starts with a secret and the insurer's own creditor, and links mails to PUBLIC_URL", () => {
    const c = loadServerConfig({ ...prod, PUBLIC_URL: "https://polis.example.nl", TRUST_PROXY: "1" });
    expect(c.billing.creditor).toMatchObject({ name: "Echte Verzekeringen NV", iban: "NL44RABO0123456789" });
    expect(c.http).toMatchObject({
      publicUrl: "https://polis.example.nl",
      trustProxy: 1,
      mailLinkLogLevel: "debug",
    });
  });

  it("refuses to start without SESSION_SECRET, naming it", () => {
    const { SESSION_SECRET: _s, ...rest } = prod;
    expect(() => loadServerConfig(rest)).toThrow(/^SESSION_SECRET is required with DATABASE_URL/);
    // The embedded database makes and keeps its own.
    expect(() => loadServerConfig({ ...rest, DATABASE_URL: "" })).not.toThrow();
  });

  it("refuses the demo creditor, naming the variable", () => {
    for (const name of ["BILLING_CREDITOR_NAME", "BILLING_CREDITOR_ID", "BILLING_CREDITOR_IBAN"] as const) {
      expect(() => loadServerConfig({ ...prod, [name]: undefined })).toThrow(
        new RegExp(`^${name} is required`),
      );
    }
    expect(() => loadServerConfig({ ...prod, BILLING_CREDITOR_IBAN: "NL91 ABNA 0417 1643 00" })).toThrow(
      /^BILLING_CREDITOR_IBAN is the demo IBAN/,
    );
    expect(() => loadServerConfig({ ...prod, BILLING_CREDITOR_ID: "NL69ZZZ123456780000" })).toThrow(
      /^BILLING_CREDITOR_ID is the demo creditor id/,
    );
    expect(() => loadServerConfig({ ...prod, BILLING_CREDITOR_ID: "NL00ZZZ1" })).toThrow(
      /^BILLING_CREDITOR_ID /,
    );
    expect(loadServerConfig(embedded).billing.creditor.name).toBe("Echte Verzekeringen NV");
  });

  it("refuses a bad LOG_LEVEL, TRUST_PROXY, REDIS_URL, PUBLIC_URL or METRICS_TOKEN in one line", () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ LOG_LEVEL: "verbose" }, /^LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent$/],
      [{ TRUST_PROXY: "everyone" }, /^TRUST_PROXY must be true, false/],
      [{ REDIS_URL: "localhost:6379" }, /^REDIS_URL must be a URL such as redis:/],
      [{ PUBLIC_URL: "ftp://x" }, /^PUBLIC_URL must be a URL/],
      [{ METRICS_TOKEN: "short" }, /^METRICS_TOKEN must be at least 32 characters/],
      [{ DATABASE_URL: "mysql://x" }, /^DATABASE_URL must be a URL such as postgres:/],
    ];
    for (const [env, message] of cases) {
      expect(() => loadServerConfig({ ...embedded, ...env })).toThrow(message);
      expect(() => loadServerConfig({ ...embedded, ...env })).not.toThrow(/\n/);
    }
  });
});
