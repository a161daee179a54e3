import { describe, expect, it } from "vitest";
import { coverOn, type PolicyTerms } from "../../../src/policies/cover.ts";
import { type PremiumNotice, suspensionPeriods, suspensionStart } from "../../../src/policies/suspension.ts";
import { defaultCatalog } from "../../../src/products/catalog.ts";

const nlDays = defaultCatalog().get("nl-cyber", 1).premiumDefault.suspendAfterDays;

function notice(settledOn: string | null, reminderDate = "2026-03-05", id = "n1"): PremiumNotice {
  return { id, dueDate: "2026-02-01", reminderDate, settledOn };
}

function terms(suspensions: PolicyTerms["suspensions"]): PolicyTerms {
  return {
    startDate: "2026-01-01",
    household: "single",
    endorsements: [],
    endDate: null,
    endReason: null,
    suspensions,
  };
}

describe("suspensionPeriods (art. 7:934 BW, nl-cyber)", () => {
  it("uses 15 days for nl-cyber", () => {
    expect(nlDays).toBe(15);
    expect(suspensionStart("2026-03-05", nlDays)).toBe("2026-03-20");
  });

  it("suspends from the 15th day after an unpaid reminder, open-ended while unpaid", () => {
    expect(suspensionPeriods([notice(null)], nlDays)).toEqual([
      { noticeId: "n1", from: "2026-03-20", until: null },
    ]);
  });

  it.each(["2026-03-05", "2026-03-10", "2026-03-19"])(
    "does not suspend when paid on %s (before the 15th day)",
    (paid) => {
      expect(suspensionPeriods([notice(paid)], nlDays)).toEqual([]);
    },
  );

  it("suspends until the day of payment inclusive when paid late", () => {
    expect(suspensionPeriods([notice("2026-03-25")], nlDays)).toEqual([
      { noticeId: "n1", from: "2026-03-20", until: "2026-03-25" },
    ]);
    expect(suspensionPeriods([notice("2026-03-20")], nlDays)).toEqual([
      { noticeId: "n1", from: "2026-03-20", until: "2026-03-20" },
    ]);
  });

  it("gives cover up to the 14th day, none from the 15th through the payment day, and cover again the day after", () => {
    const t = terms(suspensionPeriods([notice("2026-03-25")], nlDays));
    expect(coverOn(t, "2026-03-19").status).toBe("in_force");
    expect(coverOn(t, "2026-03-20").status).toBe("suspended");
    expect(coverOn(t, "2026-03-25").status).toBe("suspended");
    expect(coverOn(t, "2026-03-26").status).toBe("in_force");
    const open = terms(suspensionPeriods([notice(null)], nlDays));
    expect(coverOn(open, "2030-01-01").status).toBe("suspended");
  });

  it("returns one period per late notice, sorted by start", () => {
    const periods = suspensionPeriods(
      [
        notice(null, "2026-06-01", "b"),
        notice("2026-03-10", "2026-03-05", "paid"),
        notice("2026-04-01", "2026-03-01", "a"),
      ],
      nlDays,
    );
    expect(periods).toEqual([
      { noticeId: "a", from: "2026-03-16", until: "2026-04-01" },
      { noticeId: "b", from: "2026-06-16", until: null },
    ]);
  });
});
