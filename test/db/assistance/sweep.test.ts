import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  changeStatus,
  moveRemoval,
  requestRemoval,
  respond,
  runAssistanceSweep,
} from "../../../src/assistance/index.ts";
import type { Db } from "../../../src/db/connection.ts";
import { JOBS } from "../../../src/jobs/tasks.ts";
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

const breaches = (caseId: string) =>
  db.kysely
    .selectFrom("assistance_breaches")
    .selectAll()
    .where("case_id", "=", caseId)
    .orderBy("target")
    .execute();

describe("the helpline sweep (injected clock)", () => {
  it("is registered as a job", () => {
    expect(JOBS.map((j) => j.name)).toContain("assistance_sweep");
  });

  it("records a missed first response once, however often and late it runs, and escalates it", async () => {
    const policy = await newPolicy(db);
    // urgent: first response due 10:15Z, resolution 10:00Z next day
    const c = await openAt(db, policy.id, "2026-04-01T10:00:00Z", { ongoing: true });
    await runAssistanceSweep(db.kysely, ctxAt("2026-04-01T10:15:00Z"));
    expect(await breaches(c.id)).toEqual([]);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 23 * 3600 }), { minLength: 1, maxLength: 4 }),
        async (offsets) => {
          for (const s of offsets) {
            await runAssistanceSweep(
              db.kysely,
              ctxAt(new Date(Date.parse("2026-04-01T10:15:00Z") + s * 1000).toISOString()),
            );
          }
          const b = await breaches(c.id);
          expect(b.map((x) => x.target)).toEqual(["first_response"]);
          expect(b[0]!.due_at.toISOString()).toBe("2026-04-01T10:15:00.000Z");
          expect(b[0]!.escalated_to).toBe("helpline_supervisor");
        },
      ),
      { numRuns: 5 },
    );
    // two sweeps at once, a day late: still one resolution breach
    await Promise.all([
      runAssistanceSweep(db.kysely, ctxAt("2026-04-03T00:00:00Z")),
      runAssistanceSweep(db.kysely, ctxAt("2026-04-03T00:00:00Z")),
    ]);
    expect((await breaches(c.id)).map((x) => x.target)).toEqual(["first_response", "resolution"]);
    const audit = await db.kysely
      .selectFrom("audit_log")
      .select("action")
      .where("entity_id", "=", c.id)
      .where("action", "=", "assistance.breach_recorded")
      .execute();
    expect(audit).toHaveLength(2);
  });

  it("does not breach a resolution while the case waits for the customer, and moves its due instant by the wait", async () => {
    const policy = await newPolicy(db);
    const c = await openAt(db, policy.id, "2026-04-01T10:00:00Z", { ongoing: true });
    await inTx(db, (tx) =>
      respond(tx, ctxAt("2026-04-01T10:05:00Z"), { caseId: c.id, body: "hi", authorRole: "helpline_agent" }),
    );
    await inTx(db, (tx) =>
      changeStatus(tx, ctxAt("2026-04-01T11:00:00Z"), { caseId: c.id, to: "waiting_for_customer" }),
    );
    await runAssistanceSweep(db.kysely, ctxAt("2026-04-05T00:00:00Z"));
    expect(await breaches(c.id)).toEqual([]);
    // waited 2 days: resolution due moves from 04-02 10:00 to 04-04 10:00
    const back = await inTx(db, (tx) =>
      changeStatus(tx, ctxAt("2026-04-03T11:00:00Z"), { caseId: c.id, to: "in_progress" }),
    );
    expect(back.resolution_due.toISOString()).toBe("2026-04-04T10:00:00.000Z");
    await runAssistanceSweep(db.kysely, ctxAt("2026-04-04T10:00:00Z"));
    expect(await breaches(c.id)).toEqual([]);
    await runAssistanceSweep(db.kysely, ctxAt("2026-04-04T10:00:01Z"));
    expect((await breaches(c.id)).map((b) => b.target)).toEqual(["resolution"]);
  });

  it("brings a content-removal item without an answer after 168 hours back on the queue", async () => {
    const policy = await newPolicy(db);
    const c = await openAt(db, policy.id, "2026-04-01T10:00:00Z", { category: "defamation" });
    const item = await inTx(db, (tx) =>
      requestRemoval(tx, ctxAt("2026-04-01T10:30:00Z"), {
        caseId: c.id,
        platform: "ExampleSocial",
        url: "https://social.example/p/123",
        contentType: "photo",
        ground: "defamation",
        explanation: "A doctored photo with false claims about me.",
      }),
    );
    expect(item.notice_text).toContain("https://social.example/p/123");
    await inTx(db, (tx) =>
      moveRemoval(tx, ctxAt("2026-04-01T11:00:00Z"), { removalId: item.id, to: "notice_sent" }),
    );
    const one = await runAssistanceSweep(db.kysely, ctxAt("2026-04-08T10:59:59Z"));
    expect(one.followUps).toBe(0);
    const two = await runAssistanceSweep(db.kysely, ctxAt("2026-04-08T11:00:00Z"));
    expect(two.followUps).toBe(1);
    const again = await runAssistanceSweep(db.kysely, ctxAt("2026-04-09T11:00:00Z"));
    expect(again.followUps).toBe(0);
    const row = await db.kysely
      .selectFrom("content_removals")
      .selectAll()
      .where("id", "=", item.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe("no_response");
    const kase = await db.kysely
      .selectFrom("assistance_cases")
      .selectAll()
      .where("id", "=", c.id)
      .executeTakeFirstOrThrow();
    expect(kase.attention_since?.toISOString()).toBe("2026-04-08T11:00:00.000Z");
    // a late answer still replaces no_response
    const late = await inTx(db, (tx) =>
      moveRemoval(tx, ctxAt("2026-04-10T09:00:00Z"), { removalId: item.id, to: "removed" }),
    );
    expect(late.status).toBe("removed");
  });
});
