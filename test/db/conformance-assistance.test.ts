import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadScenario, runScenario, scenarioFiles } from "../../src/conformance/runner.ts";
import type { Db } from "../../src/db/connection.ts";
import { defaultCatalog } from "../../src/products/catalog.ts";
import { createTestDb } from "../support/db.ts";

/**
 * The helpline's conformance steps (`helpline_case`, `ransom_consent`, `paidOn` on a ransom
 * line): the public examples of ../shared/conformance/service-scenarios 13–15 and the project's
 * own scenarios 20–24, run through the real service layer as `cyberpolis conformance` does.
 */
const folder = fileURLToPath(new URL("../fixtures/conformance", import.meta.url));
let db: Db;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => {
  await db.close();
});

describe("helpline conformance scenarios", () => {
  for (const file of scenarioFiles([folder])) {
    const loaded = loadScenario(file);
    it(loaded.scenario?.name ?? file, async () => {
      expect(loaded.error).toBeUndefined();
      const result = await runScenario(db.kysely, defaultCatalog(), loaded.scenario!);
      expect(result.failures).toEqual([]);
    });
  }
});
