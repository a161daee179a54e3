import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { makeWorkerUtils } from "graphile-worker";
import { Redis } from "ioredis";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/connection.ts";
import { createUser } from "../../src/identity/index.ts";
import { bindPolicy } from "../../src/policies/index.ts";
import { defaultCatalog } from "../../src/products/index.ts";
import { backend, createTestDb } from "../support/db.ts";

/**
 * Issue 14 item 5: two API processes and one worker on one PostgreSQL, the API through PgBouncer in
 * transaction mode (Debian's pgbouncer, installed by scripts/ensure-pgbouncer.sh), every user's
 * requests sent to both. A session, an idempotency key and an annual limit hold across instances,
 * and a job queued twice runs once. README "Running on several machines".
 */
const repoRoot = resolve(import.meta.dirname, "../..");
const tmp = mkdtempSync(join(tmpdir(), "cp-scale-"));
chmodSync(tmp, 0o755);
const children: ChildProcess[] = [];
const PASSWORD = "correct horse battery staple 42";

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => done(port));
    });
    s.on("error", fail);
  });
}

function started(child: ChildProcess, pattern: RegExp, what: string): Promise<string> {
  let seen = "";
  return new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`${what} did not start: ${seen}`)), 90_000);
    const look = (chunk: Buffer) => {
      seen += chunk.toString();
      const m = pattern.exec(seen);
      if (m) {
        clearTimeout(timer);
        done(m[1] ?? "");
      }
    };
    child.stdout?.on("data", look);
    child.stderr?.on("data", look);
    child.on("exit", (code) => fail(new Error(`${what} exited ${code}: ${seen}`)));
  });
}

const api =
  (base: string) =>
  async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return {
      status: res.status,
      headers: res.headers,
      json: (await res.json().catch(() => null)) as Record<string, unknown>,
    };
  };

describe.skipIf(backend !== "postgres")(
  "two API processes and a worker on one PostgreSQL, through PgBouncer",
  () => {
    let db: Db;
    let a: ReturnType<typeof api>;
    let b: ReturnType<typeof api>;
    let policyId = "";
    const workerLog: string[] = [];
    let directUrl = "";

    beforeAll(async () => {
      db = await createTestDb();
      const name = (await sql<{ n: string }>`select current_database() as n`.execute(db.kysely)).rows[0]!.n;
      const ctx = { actor: "test", now: new Date("2026-03-01T09:00:00Z"), catalog: defaultCatalog() };
      await db.kysely.transaction().execute(async (tx) => {
        const policy = await bindPolicy(tx, ctx, {
          productCode: "nl-cyber",
          party: { name: "Sanne Scale" },
          household: "single",
          startDate: "2026-03-01",
          paymentFrequency: "annual",
          paymentMethod: "bank_transfer",
        });
        policyId = policy.id;
        await createUser(tx, ctx, {
          email: "sanne@example.test",
          password: PASSWORD,
          role: "policyholder",
          displayName: "Sanne",
          partyId: policy.party_id,
        });
      });
      const port = await freePort();
      writeFileSync(join(tmp, "users.txt"), '"postgres" ""\n');
      writeFileSync(
        join(tmp, "pgbouncer.ini"),
        [
          "[databases]",
          "* = host=127.0.0.1 port=5432",
          "[pgbouncer]",
          "listen_addr = 127.0.0.1",
          `listen_port = ${port}`,
          "unix_socket_dir =",
          "auth_type = trust",
          `auth_file = ${join(tmp, "users.txt")}`,
          "pool_mode = transaction",
          "max_client_conn = 200",
          "default_pool_size = 20",
          "ignore_startup_parameters = extra_float_digits,options",
        ].join("\n"),
      );
      chmodSync(join(tmp, "pgbouncer.ini"), 0o644);
      chmodSync(join(tmp, "users.txt"), 0o644);
      const asRoot = process.getuid?.() === 0;
      const bouncer = spawn("/usr/sbin/pgbouncer", [
        ...(asRoot ? ["-u", "postgres"] : []),
        join(tmp, "pgbouncer.ini"),
      ]);
      children.push(bouncer);
      for (let i = 0; i < 50; i++) {
        const open = await new Promise<boolean>((done) => {
          const s = connect(port, "127.0.0.1");
          s.on("connect", () => {
            s.destroy();
            done(true);
          });
          s.on("error", () => done(false));
        });
        if (open) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      directUrl = `postgres://postgres@127.0.0.1:5432/${name}`;
      // A Redis database of this run's own, emptied, so windows of an earlier run don't count.
      const redisUrl = `redis://127.0.0.1:6379/${1 + (process.pid % 15)}`;
      const redis = new Redis(redisUrl);
      await redis.flushdb();
      await redis.quit();
      const env = {
        ...process.env,
        DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/${name}`,
        SESSION_SECRET: "a shared secret of the two instances, 48 characters",
        // A production server refuses the demo creditor (src/server/config.ts); the login limit
        // and rate limits are shared through Redis, as on several machines.
        BILLING_CREDITOR_NAME: "Echte Verzekeringen NV",
        BILLING_CREDITOR_ID: "NL48ZZZ302655000000",
        BILLING_CREDITOR_IBAN: "NL44RABO0123456789",
        REDIS_URL: redisUrl,
        // Per client address per minute, counted in Redis across both instances.
        LOGIN_RATE_LIMIT: "6",
        SEED_DEMO: "false",
        RUN_JOBS: "false",
        PORT: "0",
        LOG_LEVEL: "warn",
        DATA_DIR: tmp,
      };
      const urls: string[] = [];
      for (let i = 0; i < 2; i++) {
        const child = spawn(process.execPath, [join(repoRoot, "bin/cyberpolis.mjs"), "serve"], {
          env,
          cwd: repoRoot,
        });
        children.push(child);
        urls.push(await started(child, /listening on (http:\/\/\S+)/, `API ${i + 1}`));
      }
      // The worker talks to PostgreSQL directly: graphile-worker needs LISTEN, which a
      // transaction-mode pool cannot carry.
      const worker = spawn(process.execPath, [join(repoRoot, "bin/cyberpolis.mjs"), "worker"], {
        env: { ...env, DATABASE_URL: directUrl },
        cwd: repoRoot,
      });
      children.push(worker);
      worker.stderr.on("data", (c: Buffer) => workerLog.push(c.toString()));
      await started(worker, /(worker started)/, "worker");
      a = api(urls[0]!);
      b = api(urls[1]!);
    }, 180_000);

    afterAll(async () => {
      for (const c of children.reverse()) c.kill("SIGTERM");
      await new Promise((r) => setTimeout(r, 500));
      await db?.close();
      rmSync(tmp, { recursive: true, force: true });
    });

    it("a session made on one instance holds on the other", { timeout: 60_000 }, async () => {
      const login = await a("POST", "/api/auth/login", { email: "sanne@example.test", password: PASSWORD });
      expect(login.status).toBe(200);
      const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
      const me = await b("GET", "/api/auth/me", undefined, { cookie });
      expect(me.status).toBe(200);
      expect(me.json).toMatchObject({ user: { displayName: "Sanne", role: "policyholder" } });
    });

    it("an Idempotency-Key used on one instance replays on the other, and an annual limit holds across both", {
      timeout: 120_000,
    }, async () => {
      const token = await a("POST", "/api/auth/tokens", { label: "scale-out" }, await bearerless());
      expect(token.status).toBe(201);
      const auth = { authorization: `Bearer ${token.json.token as string}` };
      const claim = {
        policyId,
        peril: "social_engineering",
        incidentDate: "2026-03-10",
        losses: [{ kind: "transferred_amount", amount: "1400.00" }],
        facts: { policeReport: true, bankRefusalProof: true },
      };
      const first = await a("POST", "/api/claims", claim, { ...auth, "idempotency-key": "scale-1" });
      expect(first.status).toBe(201);
      const again = await b("POST", "/api/claims", claim, { ...auth, "idempotency-key": "scale-1" });
      expect(again.status).toBe(201);
      expect(again.headers.get("idempotent-replayed")).toBe("true");
      expect(again.json.id).toBe(first.json.id);
      // Section F, single household: 2,500.00 a year. Twelve claims of 1,350.00 payable, half on
      // each instance at once: at most the limit is paid.
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? a : b)("POST", "/api/claims", claim, auth)),
      );
      expect(results.filter((r) => r.status >= 500)).toEqual([]);
      const paid = await db.kysely
        .selectFrom("claims")
        .select((eb) => eb.fn.sum<number>("payout_cents").as("total"))
        .where("policy_id", "=", policyId)
        .executeTakeFirstOrThrow();
      expect(Number(paid.total)).toBeLessThanOrEqual(250_000);
      const usage = await db.kysely
        .selectFrom("limit_usage")
        .select("used_cents")
        .where("policy_id", "=", policyId)
        .execute();
      expect(usage.map((u) => Number(u.used_cents))).toEqual([Number(paid.total)]);
      const claims = await db.kysely
        .selectFrom("claims")
        .select("id")
        .where("policy_id", "=", policyId)
        .execute();
      expect(claims).toHaveLength(13);

      async function bearerless() {
        const login = await b("POST", "/api/auth/login", { email: "sanne@example.test", password: PASSWORD });
        const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
        return { cookie, "x-csrf-token": String(login.json.csrfToken) };
      }
    });

    it("the login rate limit counts across both instances", { timeout: 60_000 }, async () => {
      // Two logins of the tests above used the address's budget of 6 already; distinct e-mail
      // addresses, so the per-account backoff does not answer first.
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          (i % 2 === 0 ? a : b)("POST", "/api/auth/login", {
            email: `nobody-${i}@example.test`,
            password: "wrong password 1",
          }).then((r) => ({ instance: i % 2 === 0 ? "a" : "b", status: r.status })),
        ),
      );
      const allowed = answers.filter((x) => x.status !== 429);
      expect(allowed.length).toBeLessThanOrEqual(4);
      expect(new Set(answers.filter((x) => x.status === 429).map((x) => x.instance))).toEqual(
        new Set(["a", "b"]),
      );
    });

    it("a job queued twice under one key runs once", { timeout: 90_000 }, async () => {
      const utils = await makeWorkerUtils({ connectionString: directUrl });
      try {
        // Queued twice under one key before it is due (by two processes, say): it runs once.
        const runAt = new Date(Date.now() + 1500);
        for (let i = 0; i < 2; i++) {
          await utils.addJob(
            "payments_export",
            {},
            { jobKey: "scale-out-export", jobKeyMode: "unsafe_dedupe", runAt },
          );
        }
      } finally {
        await utils.release();
      }
      for (let i = 0; i < 100 && !workerLog.join("").includes("job payments_export:"); i++) {
        await new Promise((r) => setTimeout(r, 200));
      }
      await new Promise((r) => setTimeout(r, 2000));
      expect(workerLog.join("").match(/job payments_export:/g)).toHaveLength(1);
    });
  },
);
