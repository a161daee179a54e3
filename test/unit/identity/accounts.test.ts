import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { accountMail, linkUrl, maskEmail } from "../../../src/identity/mails.ts";
import { accountStatus, NO_PASSWORD } from "../../../src/identity/model.ts";
import { MIN_PASSWORD_LENGTH, passwordProblem } from "../../../src/identity/password-policy.ts";
import { retryDelayMs } from "../../../src/server/wait-for-db.ts";
import { LANGUAGES } from "../../../src/shared/i18n/index.ts";

describe("password policy", () => {
  it("refuses every password shorter than the minimum, counted in characters", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: MIN_PASSWORD_LENGTH - 1 }), (p) => {
        fc.pre([...p].length < MIN_PASSWORD_LENGTH);
        expect(passwordProblem(p)).toMatch(/at least 10 characters/);
      }),
    );
    expect(passwordProblem("🔒".repeat(10))).toBeNull();
  });

  it("refuses common passwords in any letter case, and the address itself", () => {
    for (const p of ["qwertyuiop", "QwertyUiop", "1234567890", "password123", "iloveyou12"])
      expect(passwordProblem(p), p).toMatch(/most common/);
    expect(passwordProblem("carla.claes@example.test", "Carla.Claes@example.test")).toMatch(/e-mail address/);
    expect(passwordProblem("carla.claes", "carla.claes@example.test")).toMatch(/e-mail address/);
  });

  it("accepts long random passwords", () => {
    fc.assert(
      fc.property(
        fc.string({
          minLength: 24,
          maxLength: 64,
          unit: fc.constantFrom(..."abcdefghjkmnpqrstuvwxyz23456789"),
        }),
        (p) => {
          expect(passwordProblem(p)).toBeNull();
        },
      ),
    );
  });
});

describe("account mails", () => {
  it("exist in every language, with the link once and never anything but the link as a secret", () => {
    for (const language of LANGUAGES) {
      for (const kind of ["verify_email", "reset_password", "invitation", "already_registered"] as const) {
        const link = linkUrl("https://polis.example.nl/", kind, "tok_en+/=");
        const m = accountMail({ kind, language, to: "a@b.test", name: "An", link, validSeconds: 3600 });
        expect(m.text.split(link)).toHaveLength(2);
        expect(m.subject.length).toBeGreaterThan(5);
        expect(m.text).toContain({ nl: "over 1 uur", fr: "dans 1 heure.", en: "in 1 hour." }[language]);
      }
    }
    expect(linkUrl("https://polis.example.nl/", "verify_email", "a+b")).toBe(
      "https://polis.example.nl/account/verify-email?token=a%2Bb",
    );
  });

  it("mask the address in logs", () => {
    expect(maskEmail("carla@example.test")).toBe("c***@example.test");
    expect(maskEmail("nonsense")).toBe("***");
  });
});

describe("account status and start-up retries", () => {
  it("derives the status from the columns", () => {
    const at = new Date();
    expect(accountStatus({ password_hash: NO_PASSWORD, email_verified_at: null, disabled_at: null })).toBe(
      "invited",
    );
    expect(accountStatus({ password_hash: "$argon2id$x", email_verified_at: null, disabled_at: null })).toBe(
      "unverified",
    );
    expect(accountStatus({ password_hash: "$argon2id$x", email_verified_at: at, disabled_at: null })).toBe(
      "active",
    );
    expect(accountStatus({ password_hash: "$argon2id$x", email_verified_at: at, disabled_at: at })).toBe(
      "disabled",
    );
  });

  it("waits 1 s doubling to 16 s between database attempts", () => {
    expect([0, 1, 2, 3, 4, 5, 50].map(retryDelayMs)).toEqual([1000, 2000, 4000, 8000, 16000, 16000, 16000]);
  });
});
