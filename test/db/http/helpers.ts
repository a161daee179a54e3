import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from "fastify";
import type { KyselyPlugin } from "kysely";
import type { Db } from "../../../src/db/connection.ts";
import type { Tx } from "../../../src/db/schema.ts";
import { buildApp } from "../../../src/http/app.ts";
import { DEFAULT_HTTP_CONFIG, type HttpConfig } from "../../../src/http/config.ts";
import type { Mailer } from "../../../src/identity/model.ts";
import type { Role } from "../../../src/identity/roles.ts";
import { createApiToken, createUser } from "../../../src/identity/service.ts";
import { bindPolicy } from "../../../src/policies/service.ts";
import { defaultCatalog } from "../../../src/products/catalog.ts";
import type { Ctx } from "../../../src/shared/context.ts";
import { createTestDb } from "../../support/db.ts";

/** "Now" for every HTTP test: 15 March 2026, 10:00 UTC. */
export const NOW = new Date("2026-03-15T10:00:00Z");
export const PASSWORD = "correct horse battery";

export interface Caller {
  userId: string;
  email: string;
  partyId: string | null;
  /** Bearer header: API-client style, no CSRF needed. */
  headers: Record<string, string>;
}

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  /** Policyholders A and B (each with one NL policy) and one user per staff role. */
  alice: Caller & { policyId: string };
  bob: Caller & { policyId: string };
  staff: Record<Exclude<Role, "policyholder">, Caller>;
  close(): Promise<void>;
}

export function ctx(): Ctx {
  return { actor: "test", now: NOW, catalog: defaultCatalog() };
}

export function inTx<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.kysely.transaction().execute(fn);
}

async function caller(db: Db, role: Role, email: string, partyId: string | null): Promise<Caller> {
  return inTx(db, async (tx) => {
    const user = await createUser(tx, ctx(), {
      email,
      password: PASSWORD,
      role,
      displayName: email,
      partyId,
    });
    const { token } = await createApiToken(tx, ctx(), { userId: user.id, label: "test" });
    return { userId: user.id, email, partyId, headers: { authorization: `Bearer ${token}` } };
  });
}

async function holder(db: Db, name: string, email: string) {
  const policy = await inTx(db, (tx) =>
    bindPolicy(tx, ctx(), {
      productCode: "nl-cyber",
      party: { name, email },
      household: "family",
      startDate: "2026-01-01",
      paymentFrequency: "annual",
      paymentMethod: "bank_transfer",
    }),
  );
  return { ...(await caller(db, "policyholder", email, policy.party_id)), policyId: policy.id };
}

/** `plugin` sees every query the app runs (a test counts them); the setup here bypasses it. */
export async function startTestApp(
  config: Partial<HttpConfig> = {},
  opts: { plugin?: KyselyPlugin; mailer?: Mailer; clock?: () => Date } = {},
): Promise<TestApp> {
  const db = await createTestDb();
  const app = await buildApp({
    db: opts.plugin ? db.kysely.withPlugin(opts.plugin) : db.kysely,
    catalog: defaultCatalog(),
    clock: opts.clock ?? (() => NOW),
    ...(opts.mailer ? { mailer: opts.mailer } : {}),
    config: {
      ...DEFAULT_HTTP_CONFIG,
      sessionSecret: "test-secret-0123456789abcdef0123456789",
      logLevel: "silent",
      // Tests fire thousands of requests as one caller; the rate-limit tests set their own.
      rateLimits: {
        general: { max: 1_000_000, windowMs: 60_000 },
        exports: { max: 1_000_000, windowMs: 60_000 },
        uploads: { max: 1_000_000, windowMs: 60_000 },
      },
      ...config,
    },
  });
  await app.ready();
  const alice = await holder(db, "Alice Aalders", "alice@example.test");
  const bob = await holder(db, "Bob Bakker", "bob@example.test");
  const staff = {
    helpline_agent: await caller(db, "helpline_agent", "helpline@example.test", null),
    helpline_supervisor: await caller(db, "helpline_supervisor", "supervisor@example.test", null),
    claims_handler: await caller(db, "claims_handler", "claims@example.test", null),
    finance: await caller(db, "finance", "finance@example.test", null),
    admin: await caller(db, "admin", "admin@example.test", null),
  };
  return {
    app,
    db,
    alice,
    bob,
    staff,
    close: async () => {
      await app.close();
      await db.close();
    },
  };
}

export function call(
  app: FastifyInstance,
  who: { headers: Record<string, string> } | null,
  method: InjectOptions["method"],
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method,
    url,
    headers: { ...(who?.headers ?? {}), ...headers },
    ...(body === undefined ? {} : { payload: body as InjectOptions["payload"] }),
  });
}

/** Row counts of every table in the public schema: "nothing changed" in one comparison. */
export async function rowCounts(db: Db): Promise<Record<string, number>> {
  const tables = await db.kysely.introspection.getTables();
  const counts: Record<string, number> = {};
  for (const t of tables) {
    if (t.schema !== "public") continue;
    const r = await db.kysely
      .selectFrom(t.name as "policies")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow();
    counts[t.name] = Number(r.n);
  }
  return counts;
}

export const validMandate = {
  accountHolder: "Alice Aalders",
  iban: "NL91ABNA0417164300",
  signedOn: "2026-03-15",
  consentText: "By signing this mandate form, you authorise cyberpolis to send instructions to your bank.",
};
