import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  atRiskFrom,
  type CaseClock,
  defaultPriority,
  firstResponseDue,
  resolutionDue,
  targetState,
} from "../../../src/assistance/sla.ts";
import { CASE_PRIORITIES } from "../../../src/products/assistance-schema.ts";
import { defaultCatalog } from "../../../src/products/catalog.ts";

const terms = defaultCatalog().get("nl-cyber", 1).assistance!;
const MIN = 60_000;
const TARGETS = { urgent: [15, 24 * 60], high: [60, 72 * 60], normal: [240, 120 * 60] } as const;

const instant = fc
  .integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2030, 0, 1) })
  .map((ms) => new Date(ms));
const clock = fc.record({
  openedAt: instant,
  priority: fc.constantFrom(...CASE_PRIORITIES),
  pausedMs: fc.integer({ min: 0, max: 30 * 24 * 60 * MIN }),
  waitingSince: fc.constant(null),
}) as fc.Arbitrary<CaseClock>;

describe("helpline service levels", () => {
  it("due instants are openedAt + target, the resolution's plus every pause, on elapsed time", () => {
    fc.assert(
      fc.property(clock, fc.integer({ min: 0, max: 10 * 24 * 60 * MIN }), (c, wait) => {
        const [first, resolution] = TARGETS[c.priority];
        expect(firstResponseDue(terms, c).getTime()).toBe(c.openedAt.getTime() + first * MIN);
        const waitingSince = new Date(c.openedAt.getTime() + 1000);
        const now = new Date(waitingSince.getTime() + wait);
        expect(resolutionDue(terms, { ...c, waitingSince }, now).getTime()).toBe(
          c.openedAt.getTime() + resolution * MIN + c.pausedMs + wait,
        );
      }),
    );
  });

  it("a target is at risk strictly before it is due, and breached only after", () => {
    fc.assert(
      fc.property(
        clock,
        fc.constantFrom("first_response", "resolution" as const),
        fc.nat(),
        (c, t, offset) => {
          const due =
            t === "first_response" ? firstResponseDue(terms, c) : resolutionDue(terms, c, c.openedAt);
          const risk = atRiskFrom(terms, c, t, c.openedAt);
          expect(risk.getTime()).toBeLessThan(due.getTime());
          expect(risk.getTime()).toBeGreaterThan(c.openedAt.getTime());
          const now = new Date(
            c.openedAt.getTime() + (offset % (2 * (due.getTime() - c.openedAt.getTime()))),
          );
          const s = targetState(terms, c, t, null, now);
          expect(s.breached).toBe(now.getTime() > due.getTime());
          expect(s.atRisk).toBe(now.getTime() >= risk.getTime() && now.getTime() <= due.getTime());
          expect(s.atRisk && s.breached).toBe(false);
        },
      ),
    );
  });

  it("a response at the due instant meets the target, a millisecond later does not", () => {
    fc.assert(
      fc.property(clock, (c) => {
        const due = firstResponseDue(terms, c);
        expect(targetState(terms, c, "first_response", due, due).met).toBe(true);
        const late = new Date(due.getTime() + 1);
        expect(targetState(terms, c, "first_response", late, late).breached).toBe(true);
      }),
    );
  });

  it("a waiting case's resolution never breaches while it waits", () => {
    fc.assert(
      fc.property(clock, fc.integer({ min: 0, max: 400 * 24 * 60 * MIN }), (c, later) => {
        const waiting = { ...c, waitingSince: c.openedAt };
        const s = targetState(terms, waiting, "resolution", null, new Date(c.openedAt.getTime() + later));
        expect(s.breached).toBe(false);
      }),
    );
  });

  it("priorities follow the category, urgent while the attack goes on; DST does not move a due instant", () => {
    expect(defaultPriority(terms, "extortion", false)).toBe("high");
    expect(defaultPriority(terms, "hacking", false)).toBe("normal");
    expect(defaultPriority(terms, "other", true)).toBe("urgent");
    // 2026-03-29 01:50 CET, the night clocks go forward: 15 minutes later is 01:05 UTC.
    const c: CaseClock = {
      openedAt: new Date("2026-03-29T01:50:00+01:00"),
      priority: "urgent",
      pausedMs: 0,
      waitingSince: null,
    };
    expect(firstResponseDue(terms, c).toISOString()).toBe("2026-03-29T01:05:00.000Z");
    expect(resolutionDue(terms, c, c.openedAt).toISOString()).toBe("2026-03-30T00:50:00.000Z");
  });
});
