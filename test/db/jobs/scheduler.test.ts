import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../../src/db/connection.ts";
import { createScheduler } from "../../../src/jobs/embedded.ts";
import { scheduleRows } from "../../../src/jobs/store.ts";
import type { Job } from "../../../src/jobs/tasks.ts";
import { defaultCatalog } from "../../../src/products/catalog.ts";
import { createTestDb } from "../../support/db.ts";

/**
 * Issue 14 item 4 on the embedded database: the server runs the scheduled jobs itself, with an
 * injected clock here. A job seen first is registered, not run for the past; then it runs once
 * per due instant, a missed instant is caught up once, and a failure is retried after a wait.
 */
let db: Db;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(() => db.close());

function counting(name: string, schedule: string, backfillHours: number, fail: () => boolean) {
  const runs: Date[] = [];
  const job: Job = {
    name,
    schedule,
    backfillHours,
    async run(_db, ctx) {
      if (fail()) throw new Error("bank folder not writable");
      runs.push(ctx.now);
      return { summary: `run ${runs.length}` };
    },
  };
  return { job, runs };
}

describe("embedded scheduler", () => {
  it("registers, runs once per due instant, catches up once after downtime", async () => {
    let now = new Date("2026-12-06T03:59:00Z");
    const daily = counting("test_daily", "0 4 * * *", 24, () => false);
    const s = createScheduler({
      db: db.kysely,
      jobs: [daily.job],
      env: { bankDir: "/nonexistent" },
      catalog: defaultCatalog(),
      clock: () => now,
      log: () => {},
    });
    await s.tick(); // first sight: yesterday's 04:00 is registered, not run
    expect(daily.runs).toHaveLength(0);
    now = new Date("2026-12-06T04:00:00Z");
    await s.tick();
    await s.tick();
    expect(daily.runs.map((d) => d.toISOString())).toEqual(["2026-12-06T04:00:00.000Z"]);
    // Down from 03:00 on the 7th until 09:30 on the 9th: the 8th's and 9th's runs were missed;
    // one catch-up run, for the 9th.
    now = new Date("2026-12-09T09:30:00Z");
    await s.tick();
    await s.tick();
    expect(daily.runs).toHaveLength(2);
    const row = (await scheduleRows(db.kysely)).find((r) => r.name === "test_daily");
    expect(row?.lastDueAt.toISOString()).toBe("2026-12-09T04:00:00.000Z");
    expect(row?.lastSummary).toBe("run 2");
  });

  it("a restarted scheduler does not repeat a run the last one recorded", async () => {
    const now = new Date("2026-12-09T10:00:00Z");
    const again = counting("test_daily", "0 4 * * *", 24, () => false);
    const s = createScheduler({
      db: db.kysely,
      jobs: [again.job],
      env: { bankDir: "/nonexistent" },
      catalog: defaultCatalog(),
      clock: () => now,
      log: () => {},
    });
    await s.tick();
    expect(again.runs).toHaveLength(0);
  });

  it("retries a failed run after a doubling wait, and records it only once it succeeds", async () => {
    let now = new Date("2026-12-06T00:00:30Z");
    let failing = true;
    const lines: string[] = [];
    const minutely = counting("test_minutely", "0 * * * *", 1, () => failing);
    const s = createScheduler({
      db: db.kysely,
      jobs: [minutely.job],
      env: { bankDir: "/nonexistent" },
      catalog: defaultCatalog(),
      clock: () => now,
      log: (l) => lines.push(l),
    });
    await s.tick(); // registers 00:00
    now = new Date("2026-12-06T01:00:10Z");
    await s.tick(); // fails: next try in 1 min
    now = new Date("2026-12-06T01:00:40Z");
    await s.tick(); // still waiting
    expect(lines.filter((l) => l.includes("failed"))).toHaveLength(1);
    now = new Date("2026-12-06T01:01:20Z");
    await s.tick(); // fails again: next in 2 min
    expect(lines.at(-1)).toContain("attempt 2, next in 2 min");
    failing = false;
    now = new Date("2026-12-06T01:02:30Z");
    await s.tick();
    expect(minutely.runs).toHaveLength(0);
    now = new Date("2026-12-06T01:03:30Z");
    await s.tick();
    expect(minutely.runs).toHaveLength(1);
    const row = (await scheduleRows(db.kysely)).find((r) => r.name === "test_minutely");
    expect(row?.lastDueAt.toISOString()).toBe("2026-12-06T01:00:00.000Z");
  });
});
