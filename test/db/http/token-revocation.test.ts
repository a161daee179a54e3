import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../../src/http/app.ts";
import { DEFAULT_HTTP_CONFIG } from "../../../src/http/config.ts";
import { createApiToken, createUser } from "../../../src/identity/service.ts";
import { defaultCatalog } from "../../../src/products/catalog.ts";
import { backend } from "../../support/db.ts";
import { call, inTx, startTestApp, type TestApp } from "./helpers.ts";

/**
 * Revocation must reach every API process within one second: each process caches resolved tokens
 * (src/identity/principal-cache.ts), and only the process that revokes can evict at once.
 */
const BOUND_MS = 1_000;
const BIN = join(import.meta.dirname, "../../../bin/cyberpolis.mjs");

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** A token created on the wall clock: the other process runs on real time, not the tests' NOW. */
async function freshToken(email: string) {
  const ctx = { actor: "test", now: new Date(), catalog: defaultCatalog() };
  return inTx(t.db, async (tx) => {
    const user = await createUser(tx, ctx, {
      email,
      password: "correct horse battery",
      role: "finance",
      displayName: email,
    });
    return createApiToken(tx, ctx, { userId: user.id, label: "cross-process" });
  });
}

describe("token revocation across processes", () => {
  it("a revocation committed by another process is refused here within 1 s", async () => {
    const tok = await freshToken("elsewhere@example.test");
    const me = { headers: { authorization: `Bearer ${tok.token}` } };
    const app = await buildApp({
      db: t.db.kysely,
      catalog: defaultCatalog(),
      clock: () => new Date(),
      config: { ...DEFAULT_HTTP_CONFIG, sessionSecret: "s".repeat(40), logLevel: "silent" },
    });
    try {
      expect((await call(app, me, "GET", "/api/auth/me")).statusCode).toBe(200); // cached here now
      // What another process's revocation leaves behind: the row, and nothing in this process's cache.
      await t.db.kysely
        .updateTable("api_tokens")
        .set({ revoked_at: new Date() })
        .where("id", "=", tok.id)
        .execute();
      await sleep(BOUND_MS + 50);
      expect((await call(app, me, "GET", "/api/auth/me")).statusCode).toBe(401);
    } finally {
      await app.close();
    }
  });

  // PGlite is embedded: one process owns its data dir, so only PostgreSQL has two servers.
  it.runIf(backend === "postgres")(
    "two servers on one PostgreSQL: revoked on one, refused by the other within 1 s",
    async () => {
      const pool = t.db.client.dialect === "postgres" ? t.db.client.pool : null;
      const dir = await mkdtemp(join(tmpdir(), "cp-revoke-"));
      let child: ChildProcess | undefined;
      try {
        child = spawn(process.execPath, [BIN, "serve"], {
          env: {
            ...process.env,
            DATABASE_URL: pool!.options.connectionString!,
            DATA_DIR: dir,
            PORT: "0",
            HOST: "127.0.0.1",
            SEED_DEMO: "false",
            SESSION_SECRET: "s".repeat(40),
            LOG_LEVEL: "silent",
            // A production server refuses the demo creditor (src/server/config.ts).
            BILLING_CREDITOR_NAME: "Echte Verzekeringen NV",
            BILLING_CREDITOR_ID: "NL48ZZZ302655000000",
            BILLING_CREDITOR_IBAN: "NL44RABO0123456789",
          },
          stdio: ["ignore", "pipe", "pipe"],
        });
        const base = await new Promise<string>((resolve, reject) => {
          let out = "";
          child!.stdout!.on("data", (d: Buffer) => {
            out += d.toString();
          });
          // The start banner is on stderr (stdout is for JSON log lines).
          child!.stderr!.on("data", (d: Buffer) => {
            out += d.toString();
            const m = /listening on (http:\/\/\S+)/.exec(out);
            if (m) resolve(m[1]!);
          });
          child!.on("exit", (code) => reject(new Error(`server exited ${code}: ${out}`)));
        });
        const tok = await freshToken("two-servers@example.test");
        const other = () =>
          fetch(`${base}/api/auth/me`, { headers: { authorization: `Bearer ${tok.token}` } }).then(
            (r) => r.status,
          );
        expect(await other()).toBe(200); // the other server has it cached now

        const app = await buildApp({
          db: t.db.kysely,
          catalog: defaultCatalog(),
          clock: () => new Date(),
          config: { ...DEFAULT_HTTP_CONFIG, sessionSecret: "s".repeat(40), logLevel: "silent" },
        });
        try {
          const me = { headers: { authorization: `Bearer ${tok.token}` } };
          const res = await call(app, me, "POST", `/api/auth/tokens/${tok.id}/revocation`);
          expect(res.statusCode).toBe(200);
          expect((await call(app, me, "GET", "/api/auth/me")).statusCode).toBe(401);
        } finally {
          await app.close();
        }
        await sleep(BOUND_MS + 50);
        expect(await other()).toBe(401);
      } finally {
        if (child && child.exitCode === null) {
          const exited = new Promise((resolve) => child!.once("exit", resolve));
          child.kill("SIGTERM");
          await exited;
        }
        await rm(dir, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
