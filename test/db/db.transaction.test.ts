import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/connection.ts";
import { inTransaction, isRetryableConflict } from "../../src/db/transaction.ts";
import { backend, createTestDb } from "../support/db.ts";

let db: Db;
beforeAll(async () => {
  db = await createTestDb();
  await sql`create table lock_pair (id int primary key, n int not null)`.execute(db.kysely);
  await sql`insert into lock_pair values (1, 0), (2, 0)`.execute(db.kysely);
});
afterAll(() => db.close());

describe("the request's transaction runner", () => {
  it("does not retry what is not a lost race", async () => {
    let runs = 0;
    await expect(
      inTransaction(db.kysely, async () => {
        runs++;
        throw Object.assign(new Error("unique"), { code: "23505" });
      }),
    ).rejects.toThrow("unique");
    expect(runs).toBe(1);
    expect(isRetryableConflict(Object.assign(new Error("x"), { cause: { code: "40P01" } }))).toBe(true);
  });

  it("gives up after its attempts and rethrows the conflict", async () => {
    let runs = 0;
    const failing = inTransaction(
      db.kysely,
      async () => {
        runs++;
        throw Object.assign(new Error("could not serialize access"), { code: "40001" });
      },
      { attempts: 3 },
    );
    await expect(failing).rejects.toThrow("could not serialize");
    expect(runs).toBe(3);
  });

  // A real deadlock needs two connections; PGlite has one.
  it.runIf(backend === "postgres")(
    "runs again the side PostgreSQL aborts in a deadlock, so both commit",
    async () => {
      let firstLocked!: () => void;
      let secondLocked!: () => void;
      const first = new Promise<void>((r) => {
        firstLocked = r;
      });
      const second = new Promise<void>((r) => {
        secondLocked = r;
      });
      const retries: string[] = [];
      const side = (mine: number, other: number, locked: () => void, theirs: Promise<void>) =>
        inTransaction(
          db.kysely,
          async (tx) => {
            await sql`update lock_pair set n = n + 1 where id = ${mine}`.execute(tx);
            locked();
            await theirs;
            await sql`update lock_pair set n = n + 1 where id = ${other}`.execute(tx);
          },
          { onRetry: (_, e) => retries.push(String((e as { code?: string }).code)) },
        );
      await Promise.all([side(1, 2, firstLocked, second), side(2, 1, secondLocked, first)]);
      expect(retries).toEqual(["40P01"]);
      const { rows } = await sql<{ n: number }>`select n from lock_pair order by id`.execute(db.kysely);
      expect(rows.map((r) => r.n)).toEqual([2, 2]);
    },
  );
});
