import { copyFile, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/connection.ts";
import { checkMigrations, defaultMigrationsDir, loadMigrations, migrate } from "../../src/db/migrate.ts";
import { backend, createTestDb } from "../support/db.ts";

// Every expectation here runs on both backends, so passing on both means identical JS values.

let db: Db;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => {
  await db.close();
  await db.close(); // the harness promises a second close is harmless
});

type MigrationRow = { schema_migrations: { name: string; checksum: string; applied_at: Date } };
const migrations = () => db.kysely.withTables<MigrationRow>();

describe(`connection on ${backend}`, () => {
  it("reports its dialect", () => {
    expect(db.dialect).toBe(backend);
  });

  it("normalises counts, bigint, numeric sums, dates, timestamps, jsonb and their arrays", async () => {
    const { rows } = await sql<Record<string, unknown>>`select
        count(*) as n,
        sum(x) as total,
        max(x) as biggest,
        '2024-02-29'::date as day,
        '2024-03-31 01:30:00+02'::timestamptz as at,
        '{"a": [1, "b"]}'::jsonb as doc,
        array[1::bigint, null, 3] as ints,
        array['2024-01-01'::date, '2024-12-31'] as days
      from (values (1::bigint), (9007199254740990::bigint)) v(x)`.execute(db.kysely);
    expect(rows).toEqual([
      {
        n: 2,
        total: 9007199254740991,
        biggest: 9007199254740990,
        day: "2024-02-29",
        at: new Date("2024-03-30T23:30:00Z"),
        doc: { a: [1, "b"] },
        ints: [1, null, 3],
        days: ["2024-01-01", "2024-12-31"],
      },
    ]);
    expect(rows[0]?.at).toBeInstanceOf(Date);
  });

  it("reads schema columns the same way: bigint identity, date, timestamptz, jsonb", async () => {
    const at = new Date("2026-01-02T03:04:05.678Z");
    const party = await db.kysely
      .insertInto("parties")
      .values({
        name: "A. Tester",
        birth_date: "1990-12-31",
        created_at: at,
        address: JSON.stringify({ city: "Gent" }),
      })
      .returning(["birth_date", "created_at", "address"])
      .executeTakeFirstOrThrow();
    expect(party).toEqual({ birth_date: "1990-12-31", created_at: at, address: { city: "Gent" } });

    const entry = await db.kysely
      .insertInto("audit_log")
      .values({ at, actor: "test", action: "probe", entity_type: "party", entity_id: "x" })
      .returning("id")
      .executeTakeFirstOrThrow();
    expect(typeof entry.id).toBe("number");

    const counted = await db.kysely
      .selectFrom("parties")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(counted).toEqual({ n: 1 });
  });

  it("refuses integers a JS number can't hold exactly instead of rounding them", async () => {
    await expect(sql`select 9007199254740993::bigint as n`.execute(db.kysely)).rejects.toMatchObject({
      code: "database_value_out_of_range",
    });
    await expect(sql`select 1.5::numeric as n`.execute(db.kysely)).rejects.toMatchObject({
      code: "database_value_out_of_range",
    });
  });

  it("runs every session in UTC, so timestamptz::date is the same calendar day everywhere", async () => {
    const { rows } = await sql<{
      d: string;
    }>`select '2024-06-30 23:30:00+00'::timestamptz::date as d`.execute(db.kysely);
    expect(rows[0]?.d).toBe("2024-06-30");
  });
});

describe(`migrations on ${backend}`, () => {
  it("has applied every migration file, in order, with its checksum", async () => {
    const files = await loadMigrations();
    const rows = await migrations().selectFrom("schema_migrations").selectAll().orderBy("name").execute();
    expect(rows.map((r) => [r.name, r.checksum])).toEqual(files.map((f) => [f.name, f.checksum]));
    expect(rows.every((r) => r.applied_at instanceof Date)).toBe(true);
    await expect(checkMigrations(db)).resolves.toBeUndefined();
  });

  it("applies nothing when run again", async () => {
    expect(await migrate(db)).toEqual({ applied: [] });
  });

  it("refuses a database that has a migration this code doesn't know", async () => {
    await migrations()
      .insertInto("schema_migrations")
      .values({ name: "29991231_9999_from_the_future", checksum: "x", applied_at: new Date() })
      .execute();
    try {
      await expect(checkMigrations(db)).rejects.toMatchObject({
        code: "database_out_of_step",
        message: expect.stringMatching(/ahead.*29991231_9999_from_the_future/),
      });
      await expect(migrate(db)).rejects.toMatchObject({ code: "database_out_of_step" });
    } finally {
      await migrations()
        .deleteFrom("schema_migrations")
        .where("name", "=", "29991231_9999_from_the_future")
        .execute();
    }
  });

  it("refuses a database whose applied migration was since changed", async () => {
    const [first] = await loadMigrations();
    if (!first) throw new Error("no migrations");
    await migrations()
      .updateTable("schema_migrations")
      .set({ checksum: "edited" })
      .where("name", "=", first.name)
      .execute();
    try {
      await expect(checkMigrations(db)).rejects.toMatchObject({
        code: "database_out_of_step",
        message: expect.stringMatching(new RegExp(`changed.*${first.name}|${first.name}.*changed`)),
      });
    } finally {
      await migrations()
        .updateTable("schema_migrations")
        .set({ checksum: first.checksum })
        .where("name", "=", first.name)
        .execute();
    }
    await expect(checkMigrations(db)).resolves.toBeUndefined();
  });

  it("applies a new multi-statement migration exactly once, even when two runs race", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cyberpolis-migrations-"));
    try {
      for (const f of await readdir(defaultMigrationsDir)) {
        if (f.endsWith(".sql")) await copyFile(join(defaultMigrationsDir, f), join(dir, f));
      }
      await writeFile(
        join(dir, "29991231_0001_probe.sql"),
        "-- two statements, one file\ncreate table probe_a (x int);\ncreate table probe_b (y int);\ninsert into probe_a values (1);\n",
      );
      const results = await Promise.all([migrate(db, dir), migrate(db, dir)]);
      expect(results.flatMap((r) => r.applied)).toEqual(["29991231_0001_probe"]);
      const { rows } = await sql<{ x: number }>`select x from probe_a`.execute(db.kysely);
      expect(rows).toEqual([{ x: 1 }]);
      await sql`select y from probe_b`.execute(db.kysely);
      // With the probe applied, the code's own migrations are now behind the database.
      await expect(checkMigrations(db)).rejects.toMatchObject({ code: "database_out_of_step" });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
