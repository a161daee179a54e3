import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CASE_TRANSITIONS, type CaseStatus, changeStatus, getCase } from "../../../src/assistance/index.ts";
import type { Db } from "../../../src/db/connection.ts";
import { isAppError } from "../../../src/shared/errors.ts";
import { createTestDb } from "../../support/db.ts";
import { inTx, newPolicy } from "../services/helpers.ts";
import { ctxAt, openAt } from "./support.ts";

let db: Db;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => {
  await db.close();
});

describe("concurrent status changes on one case", () => {
  it("100 racing changes leave one consistent history", async () => {
    const policy = await newPolicy(db);
    const c = await openAt(db, policy.id, "2026-04-01T10:00:00Z", { category: "hacking" });
    const targets: CaseStatus[] = ["in_progress", "waiting_for_customer", "resolved", "in_progress"];
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) =>
        inTx(db, async (tx) => {
          const row = await getCase(tx, c.id);
          const to = targets.find((t) => CASE_TRANSITIONS[row.status].includes(t)) ?? "in_progress";
          return changeStatus(tx, ctxAt(`2026-04-01T11:${String(i % 60).padStart(2, "0")}:00Z`), {
            caseId: c.id,
            to,
            reason: "reopened after the customer called back",
            version: row.version,
          });
        }),
      ),
    );
    for (const r of results)
      if (r.status === "rejected") {
        expect(isAppError(r.reason)).toBe(true);
        expect(["conflict", "transition_not_allowed"]).toContain(r.reason.code);
      }
    const ok = results.filter((r) => r.status === "fulfilled").length;
    expect(ok).toBeGreaterThan(0);
    const history = await db.kysely
      .selectFrom("assistance_status_changes")
      .selectAll()
      .where("case_id", "=", c.id)
      .orderBy("version")
      .execute();
    const final = await db.kysely
      .selectFrom("assistance_cases")
      .selectAll()
      .where("id", "=", c.id)
      .executeTakeFirstOrThrow();
    // one row per successful change plus the opening; each follows from the previous, versions unbroken
    expect(history).toHaveLength(ok + 1);
    expect(history[0]!.to_status).toBe("open");
    for (let i = 1; i < history.length; i++) {
      expect(history[i]!.from_status).toBe(history[i - 1]!.to_status);
      expect(CASE_TRANSITIONS[history[i]!.from_status!]).toContain(history[i]!.to_status);
      expect(history[i]!.version).toBe(history[i - 1]!.version + 1);
    }
    expect(history.at(-1)!.to_status).toBe(final.status);
    expect(history.at(-1)!.version).toBe(final.version);
  });
});
