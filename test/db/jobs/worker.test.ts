import { makeWorkerUtils, type Runner } from "graphile-worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../../src/db/connection.ts";
import type { Job } from "../../../src/jobs/tasks.ts";
import { startWorker } from "../../../src/jobs/worker.ts";
import { defaultCatalog } from "../../../src/products/catalog.ts";
import { backend, createTestDb } from "../../support/db.ts";

/**
 * Issue 14 item 4 on PostgreSQL: `cyberpolis worker` is graphile-worker with the platform's jobs
 * as tasks and their schedules as its crontab. Two workers on one database run a queued job once,
 * and both register the crontab without scheduling an instant twice.
 */
describe.skipIf(backend !== "postgres")("graphile-worker runner", () => {
  let db: Db;
  const runners: Runner[] = [];
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(async () => {
    for (const r of runners) await r.stop();
    await db.close();
  });

  it("two workers run a queued job once, and share one crontab", async () => {
    if (db.client.dialect !== "postgres") throw new Error("postgres only");
    const pgPool = db.client.pool;
    const seen: string[] = [];
    let release: () => void = () => {};
    const finished = new Promise<void>((r) => {
      release = r;
    });
    const job: Job = {
      name: "test_sweep",
      schedule: "0 4 * * *",
      async run(_db, ctx) {
        seen.push(ctx.actor);
        release();
        return { summary: "swept" };
      },
    };
    const lines: string[] = [];
    for (let i = 0; i < 2; i++) {
      runners.push(
        await startWorker({
          connection: { pgPool },
          db: db.kysely,
          jobs: [job],
          env: { bankDir: "/nonexistent" },
          catalog: defaultCatalog(),
          concurrency: 1,
          log: (l) => lines.push(l),
        }),
      );
    }
    const utils = await makeWorkerUtils({ pgPool });
    try {
      // The second may come while the first already runs: the key dedupes it then too.
      for (let i = 0; i < 2; i++) {
        await utils.addJob("test_sweep", {}, { jobKey: "test_sweep:manual", jobKeyMode: "unsafe_dedupe" });
      }
    } finally {
      await utils.release();
    }
    await finished;
    // Give the other worker time to pick up a duplicate, were there one.
    await new Promise((r) => setTimeout(r, 1500));
    expect(seen).toEqual(["job:test_sweep"]);
    expect(lines).toContain("job test_sweep: swept");
    const crontabs = await db.kysely
      .selectFrom("graphile_worker._private_known_crontabs" as never)
      .select("identifier" as never)
      .execute();
    expect(crontabs).toEqual([{ identifier: "test_sweep" }]);
  });
});
