import { randomBytes } from "node:crypto";
import { cp, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type Db, openDatabase } from "../../src/db/connection.ts";
import { defaultMigrationsDir, migrate } from "../../src/db/migrate.ts";
import { backend } from "../support/db.ts";
import { databaseUrl } from "../support/global-setup.ts";

/**
 * Migration 0012 gives every token that never expired an expiry. It runs here on an empty database
 * migrated up to just before it, with tokens as the old code stored them.
 */
const MIGRATION = "20261204_0012_tokens_and_login_limits.sql";
const DAY = 86_400_000;

let db: Db;
let before: string;
let drop: () => Promise<void> = async () => {};

async function adminQuery(adminUrl: string, text: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  if (backend === "pglite") {
    db = await openDatabase({ memory: true });
  } else {
    const adminUrl = inject("postgresAdminUrl")!;
    const template = inject("postgresTemplate")!;
    // Named like createTestDb's clones, so a killed run's leftover is found by the next setup.
    const name = `cyberpolis_t_${template.slice("cyberpolis_tpl_".length)}_${randomBytes(5).toString("hex")}`;
    await adminQuery(adminUrl, `create database ${name}`);
    db = await openDatabase({ url: databaseUrl(adminUrl, name) });
    drop = () => adminQuery(adminUrl, `drop database if exists ${name} with (force)`);
  }
  before = await mkdtemp(join(tmpdir(), "cp-mig-"));
  for (const f of await readdir(defaultMigrationsDir))
    if (f.endsWith(".sql") && f < MIGRATION) await cp(join(defaultMigrationsDir, f), join(before, f));
  await migrate(db, before);
}, 120_000);

afterAll(async () => {
  await db?.close();
  await drop();
  await rm(before, { recursive: true, force: true });
});

describe("migration 0012 on tokens stored without an expiry", () => {
  it("gives each 365 days from its creation but at least 90 from now, keeps set expiries, then requires one", async () => {
    const user = await db.kysely
      .insertInto("users")
      .values({
        email: "ci@example.test",
        password_hash: "x",
        role: "finance",
        party_id: null,
        display_name: "ci",
        created_at: new Date("2024-01-01T00:00:00Z"),
        disabled_at: null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const created = (label: string, at: Date, expires: Date | null) =>
      sql`insert into api_tokens (token_hash, user_id, label, created_at, expires_at)
          values (${label}, ${user.id}, ${label}, ${at}, ${expires})`.execute(db.kysely);
    const now = Date.now();
    await created("old", new Date(now - 400 * DAY), null);
    await created("recent", new Date(now - 10 * DAY), null);
    await created("set", new Date(now - 10 * DAY), new Date(now + 5 * DAY));

    // Up to and including 0012 only: later migrations are not this test's subject.
    await cp(join(defaultMigrationsDir, MIGRATION), join(before, MIGRATION));
    expect((await migrate(db, before)).applied).toEqual([MIGRATION.slice(0, -".sql".length)]);
    const rows = await db.kysely
      .selectFrom("api_tokens")
      .select(["label", "expires_at", "last_used_at"])
      .execute();
    const days = Object.fromEntries(
      rows.map((r) => [r.label, Math.round((r.expires_at.getTime() - now) / DAY)]),
    );
    expect(days).toEqual({ old: 90, recent: 355, set: 5 });
    expect(rows.every((r) => r.last_used_at === null)).toBe(true);
    await expect(
      sql`insert into api_tokens (token_hash, user_id, label, created_at) values ('n', ${user.id}, 'n', now())`.execute(
        db.kysely,
      ),
    ).rejects.toThrow(/expires_at/);
  });
});
