import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  backoffSeconds,
  currentFailures,
  DEFAULT_LOGIN_BACKOFF,
  type LoginBackoff,
  retryAfterSeconds,
} from "../../../src/identity/login-backoff.ts";

const T0 = new Date("2026-12-04T12:00:00Z");
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

const policy: fc.Arbitrary<LoginBackoff> = fc
  .record({
    freeAttempts: fc.integer({ min: 1, max: 20 }),
    baseSeconds: fc.integer({ min: 1, max: 3600 }),
    extra: fc.integer({ min: 0, max: 86_400 }),
  })
  .map(({ freeAttempts, baseSeconds, extra }) => ({
    freeAttempts,
    baseSeconds,
    maxSeconds: Math.min(baseSeconds + extra, 86_400),
    forgetAfterSeconds: 86_400,
  }));

describe("login backoff", () => {
  it("lets the first attempts through, then waits 30 s, doubling up to 15 minutes", () => {
    const waits = Array.from({ length: 12 }, (_, i) => backoffSeconds(i + 1, DEFAULT_LOGIN_BACKOFF));
    expect(waits).toEqual([0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900, 900]);
  });

  it("never shrinks as failures grow, never exceeds the cap, and is whole seconds", () => {
    fc.assert(
      fc.property(policy, fc.integer({ min: 0, max: 10_000 }), (p, n) => {
        const w = backoffSeconds(n, p);
        expect(Number.isInteger(w)).toBe(true);
        expect(w).toBeLessThanOrEqual(p.maxSeconds);
        expect(backoffSeconds(n + 1, p)).toBeGreaterThanOrEqual(w);
        expect(w === 0).toBe(n < p.freeAttempts);
      }),
    );
  });

  it("counts the wait from the last failure and forgets a run after a day", () => {
    const r = { failures: 6, lastFailedAt: T0 };
    expect(retryAfterSeconds(r, at(0), DEFAULT_LOGIN_BACKOFF)).toBe(60);
    expect(retryAfterSeconds(r, at(59.5), DEFAULT_LOGIN_BACKOFF)).toBe(1);
    expect(retryAfterSeconds(r, at(60), DEFAULT_LOGIN_BACKOFF)).toBe(0);
    expect(retryAfterSeconds(null, at(0), DEFAULT_LOGIN_BACKOFF)).toBe(0);
    const long = { failures: 500, lastFailedAt: T0 };
    expect(retryAfterSeconds(long, at(86_399), { ...DEFAULT_LOGIN_BACKOFF, maxSeconds: 86_400 })).toBe(1);
    expect(retryAfterSeconds(long, at(86_400), { ...DEFAULT_LOGIN_BACKOFF, maxSeconds: 86_400 })).toBe(0);
  });

  it("never asks for a wait longer than the cap from any point in time", () => {
    fc.assert(
      fc.property(policy, fc.nat(10_000), fc.integer({ min: -10, max: 100_000 }), (p, failures, later) => {
        const wait = retryAfterSeconds({ failures, lastFailedAt: T0 }, at(later), p);
        expect(wait).toBeGreaterThanOrEqual(0);
        expect(wait).toBeLessThanOrEqual(p.maxSeconds + 10);
        if (later >= 0) expect(wait).toBeLessThanOrEqual(Math.max(0, p.maxSeconds - later));
      }),
    );
  });

  it("a run of failures counts for a day less a second, then is forgotten", () => {
    const r = { failures: 6, lastFailedAt: T0 };
    expect(currentFailures(r, at(86_399), DEFAULT_LOGIN_BACKOFF)).toBe(6);
    expect(currentFailures(r, at(86_400), DEFAULT_LOGIN_BACKOFF)).toBe(0);
    expect(currentFailures(null, at(0), DEFAULT_LOGIN_BACKOFF)).toBe(0);
  });

  it("no failures that count: no wait, even when the stored failure lies ahead of the clock", () => {
    // Another instance's clock may run ahead; a zero count must still let the attempt through.
    expect(retryAfterSeconds({ failures: 0, lastFailedAt: at(100) }, at(0), DEFAULT_LOGIN_BACKOFF)).toBe(0);
  });
});
