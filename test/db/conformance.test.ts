import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadScenario, runScenario, scenarioFiles } from "../../src/conformance/runner.ts";
import type { Db } from "../../src/db/connection.ts";
import { defaultCatalog } from "../../src/products/catalog.ts";
import { createTestDb } from "../support/db.ts";

const folder = fileURLToPath(new URL("../../../shared/conformance/scenarios", import.meta.url));
let db: Db;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => {
  await db.close();
});

describe("public conformance scenarios", () => {
  for (const file of scenarioFiles([folder])) {
    const loaded = loadScenario(file);
    it(loaded.scenario?.name ?? file, async () => {
      expect(loaded.error).toBeUndefined();
      const result = await runScenario(db.kysely, defaultCatalog(), loaded.scenario!);
      expect(result.failures).toEqual([]);
    });
  }

  it("leaves the database empty after every scenario", async () => {
    const row = await db.kysely
      .selectFrom("policies")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(row.n)).toBe(0);
  });
});
