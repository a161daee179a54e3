import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { creditorIdCheckDigits, isValidCreditorId, toSepaText } from "../../../src/bank/index.ts";

describe("isValidCreditorId", () => {
  // Each verified by hand (ISO 7064 MOD 97-10) and against the `sepa` library's validator.
  it.each([
    "DE98ZZZ09999999999", // Bundesbank's documentation example
    "NL57ZZZ999999999999",
    "BE68ZZZ0123456789", // Belgian: ZZZ + the 10-digit enterprise number
    "BE69ZZZ050D000000008",
    "IT66ZZZA1B2C3D4E5F6G7H8",
    "ES50ZZZM23456789",
    "FR72ZZZ123456",
    "AT61ZZZ01234567890",
  ])("accepts %s", (id) => {
    expect(isValidCreditorId(id)).toBe(true);
  });

  it.each([
    ["NL98ZZZ999999999999", "wrong check digits (the right ones are 57)"],
    ["NL51ZZZ400000000000", "wrong check digits (the right ones are 64)"],
    ["DE99ZZZ09999999999", "wrong check digits"],
    ["DE98ZZZ0999999999", "a digit missing"],
    ["de98zzz09999999999", "lower case (normalise first)"],
    ["DE98ZZZ", "no national identifier"],
    ["D198ZZZ09999999999", "country code with a digit"],
    ["", "empty"],
  ])("rejects %s: %s", (id) => {
    expect(isValidCreditorId(id)).toBe(false);
  });

  it("ignores the creditor business code in the check", () => {
    expect(isValidCreditorId("DE98ABC09999999999")).toBe(true);
    expect(isValidCreditorId("NL57001999999999999")).toBe(true);
  });

  it("property: computed check digits validate and any changed digit is caught", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("NL", "BE", "DE", "FR"),
        fc.stringMatching(/^[0-9A-Z]{4,28}$/),
        fc.nat(),
        (country, nationalId, pick) => {
          const id = `${country}${creditorIdCheckDigits(country, nationalId)}ZZZ${nationalId}`;
          expect(isValidCreditorId(id)).toBe(true);
          const at = 7 + (pick % nationalId.length);
          const ch = id[at] ?? "0";
          const changed = ch === "9" ? "8" : /\d/.test(ch) ? String(Number(ch) + 1) : ch === "Z" ? "Y" : "Z";
          expect(isValidCreditorId(`${id.slice(0, at)}${changed}${id.slice(at + 1)}`)).toBe(false);
        },
      ),
    );
  });
});

describe("toSepaText", () => {
  it.each([
    ["Jörg Müller & Søn", 70, "Jorg Muller + Son"],
    ["Straße  Œuvre\tÆ", 70, "Strasse OEuvre AE"],
    ["Ça coûte 12€ <ok>", 70, "Ca coute 12EUR ok"],
    ["  padded  ", 70, "padded"],
    ["abcdef", 3, "abc"],
    ["ab cdef", 3, "ab"],
  ])("%s → %s", (input, max, expected) => {
    expect(toSepaText(input, max)).toBe(expected);
  });

  it("property: output only uses the SEPA set and respects the length", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), fc.integer({ min: 1, max: 140 }), (s, max) => {
        const out = toSepaText(s, max);
        expect(out.length).toBeLessThanOrEqual(max);
        expect(out).toMatch(/^[A-Za-z0-9/\-?:().,'+ ]*$/);
        expect(out).toBe(out.trim());
      }),
    );
  });
});
