import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_TOKEN_LIFETIME, tokenExpiry } from "../../../src/identity/token-lifetime.ts";
import { ValidationError } from "../../../src/shared/errors.ts";

const NOW = new Date("2026-12-04T12:00:00Z");
const DAY = 86_400_000;

describe("API token lifetime", () => {
  it("defaults to 90 days and refuses more than 365 with a message naming the maximum", () => {
    expect(tokenExpiry(NOW, undefined, DEFAULT_TOKEN_LIFETIME)).toEqual(new Date(NOW.getTime() + 90 * DAY));
    expect(tokenExpiry(NOW, 365, DEFAULT_TOKEN_LIFETIME)).toEqual(new Date(NOW.getTime() + 365 * DAY));
    expect(() => tokenExpiry(NOW, 366, DEFAULT_TOKEN_LIFETIME)).toThrow(ValidationError);
    expect(() => tokenExpiry(NOW, 366, DEFAULT_TOKEN_LIFETIME)).toThrow(/expiresInDays: .*1 to 365/);
  });

  it("always ends, never beyond the maximum, and exactly when asked within it", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3650 }),
        fc.integer({ min: 1, max: 3650 }),
        fc.option(fc.integer({ min: -5, max: 4000 }), { nil: undefined }),
        (defaultDays, maxDays, asked) => {
          const lifetime = { defaultDays, maxDays };
          let expiry: Date;
          try {
            expiry = tokenExpiry(NOW, asked, lifetime);
          } catch (e) {
            expect(e).toBeInstanceOf(ValidationError);
            expect(asked !== undefined && (asked < 1 || asked > maxDays)).toBe(true);
            return;
          }
          const days = (expiry.getTime() - NOW.getTime()) / DAY;
          expect(days).toBeGreaterThanOrEqual(1);
          expect(days).toBeLessThanOrEqual(maxDays);
          expect(days).toBe(asked ?? Math.min(defaultDays, maxDays));
        },
      ),
    );
  });
});
