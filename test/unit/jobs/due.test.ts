import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cronMatcher, latestDue } from "../../../src/jobs/due.ts";
import { JOBS } from "../../../src/jobs/tasks.ts";

const digest = (t: Date) => ({
  min: t.getUTCMinutes(),
  hour: t.getUTCHours(),
  date: t.getUTCDate(),
  month: t.getUTCMonth() + 1,
  dow: t.getUTCDay(),
});

const schedules = ["* * * * *", "0 2 1 * *", "0 4 * * *", "0 5 * * 1-5", "*/15 * * * *", "30 23 * * 0"];

describe("latestDue", () => {
  it("is the latest matching minute at or before now, within the backfill", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...schedules),
        fc.date({
          min: new Date("2026-01-01T00:00:00Z"),
          max: new Date("2028-12-31T00:00:00Z"),
          noInvalidDate: true,
        }),
        fc.integer({ min: 1, max: 72 }),
        (schedule, now, backfillHours) => {
          const match = cronMatcher(schedule, "t");
          const due = latestDue(match, now, backfillHours);
          const earliest = Math.floor(now.getTime() / 60_000) * 60_000 - backfillHours * 3_600_000;
          if (due === null) {
            for (let t = Math.floor(now.getTime() / 60_000) * 60_000; t >= earliest; t -= 60_000)
              expect(match(digest(new Date(t)))).toBe(false);
            return;
          }
          expect(match(digest(due))).toBe(true);
          expect(due.getTime()).toBeLessThanOrEqual(now.getTime());
          expect(due.getTime()).toBeGreaterThanOrEqual(earliest);
          expect(due.getUTCSeconds()).toBe(0);
          for (let t = due.getTime() + 60_000; t <= now.getTime(); t += 60_000)
            expect(match(digest(new Date(t)))).toBe(false);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("finds the 1st of the month 02:00 UTC from later in the month", () => {
    const due = latestDue(cronMatcher("0 2 1 * *", "t"), new Date("2026-12-06T20:00:00Z"), 24 * 28);
    expect(due?.toISOString()).toBe("2026-12-01T02:00:00.000Z");
    expect(latestDue(cronMatcher("0 2 1 * *", "t"), new Date("2026-12-06T20:00:00Z"), 24)).toBeNull();
  });

  it("every job of the platform has a parseable schedule and a unique name", () => {
    const names = JOBS.map((j) => j.name);
    expect(new Set(names).size).toBe(names.length);
    for (const j of JOBS) expect(() => cronMatcher(j.schedule, j.name)).not.toThrow();
    expect(names).toEqual(expect.arrayContaining(["billing_run", "billing_dunning", "payments_export"]));
  });
});
