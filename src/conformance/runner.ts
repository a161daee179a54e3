import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
import { bindPolicy } from "../policies/index.ts";
import { type Catalog, describeIssues } from "../products/index.ts";
import { parseDate } from "../shared/dates.ts";
import { AppError, isAppError } from "../shared/errors.ts";
import { type Scenario, scenario as scenarioSchema } from "./scenario.ts";
import { compare, runStep, stepDate } from "./steps.ts";

export interface LoadedScenario {
  file: string;
  scenario?: Scenario;
  error?: string;
}

/** Expands files and folders (non-recursive into *.json, sorted) into scenario files. */
export function scenarioFiles(paths: string[]): string[] {
  const files: string[] = [];
  for (const p of paths) {
    let stat: ReturnType<typeof statSync>;
    try {
      stat = statSync(p);
    } catch {
      throw new AppError("not_found", `no such file or folder: ${p}`);
    }
    if (stat.isDirectory()) {
      files.push(
        ...readdirSync(p)
          .filter((f) => f.endsWith(".json"))
          .sort()
          .map((f) => join(p, f)),
      );
    } else files.push(p);
  }
  return files;
}

export function loadScenario(file: string): LoadedScenario {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    return { file, error: `not valid JSON: ${(e as Error).message}` };
  }
  const parsed = scenarioSchema.safeParse(raw);
  if (!parsed.success) return { file, error: `invalid scenario: ${describeIssues(parsed.error)}` };
  return { file, scenario: parsed.data };
}

export interface ScenarioResult {
  passed: boolean;
  failures: string[];
}

/** Noon UTC on a business date, so audit timestamps stay on that calendar day in both time zones. */
const clockOn = (date: string) => new Date(`${date}T12:00:00Z`);

/**
 * Runs one scenario inside a transaction that is always rolled back: each scenario sees the
 * freshly migrated, empty database without paying for a new one. Each step runs in a savepoint,
 * so a step that fails (as expected or not) leaves nothing behind.
 */
export async function runScenario(
  db: Kysely<Database>,
  catalog: Catalog,
  s: Scenario,
): Promise<ScenarioResult> {
  const failures: string[] = [];
  const trx = await db.startTransaction().execute();
  try {
    const start = parseDate(s.start, "start");
    const ctxFor = (date: string | undefined) => ({
      actor: "conformance",
      now: clockOn(date ?? start),
      catalog,
    });
    const policy = await bindPolicy(trx, ctxFor(start), {
      productCode: s.product,
      party: { name: `Conformance: ${s.name}` },
      household: s.household,
      startDate: start,
      paymentFrequency: s.paymentFrequency,
      paymentMethod: s.paymentMethod,
    });
    for (const [i, step] of s.steps.entries()) {
      const label = `step ${i + 1} (${step.do}${step.do === "claim" ? ` ${step.id}` : step.do === "supply" ? ` ${step.claim}` : ""})`;
      const sp = await trx.savepoint("step").execute();
      let actual: Record<string, unknown>;
      try {
        actual = await runStep(sp, ctxFor(stepDate(step)), s, policy.id, step, i);
        await sp.releaseSavepoint("step").execute();
      } catch (e) {
        await sp.rollbackToSavepoint("step").execute();
        if (!isAppError(e)) throw e;
        actual = { error: e.code, message: e.message };
      }
      const expected = step.expect as Record<string, unknown> | undefined;
      if (!expected) {
        if ("error" in actual)
          failures.push(`${label}: expected success, got error ${actual.error}: ${actual.message}`);
        continue;
      }
      if ("error" in actual && !("error" in expected)) {
        failures.push(
          `${label}: expected ${JSON.stringify(expected)}, got error ${actual.error}: ${actual.message}`,
        );
        continue;
      }
      const diffs = compare(expected, actual);
      if (diffs.length > 0)
        failures.push(
          `${label}: ${diffs.join("; ")}\n      expected ${JSON.stringify(expected)}\n      actual   ${JSON.stringify(actual)}`,
        );
    }
  } catch (e) {
    failures.push(
      isAppError(e)
        ? `error ${e.code}: ${e.message}`
        : `unexpected error: ${(e as Error).stack ?? String(e)}`,
    );
  } finally {
    await trx.rollback().execute();
  }
  return { passed: failures.length === 0, failures };
}
