import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ERASED, redactor, variants } from "../../../src/shared/erasure.ts";

/** Values of a person (no brackets, so no match can straddle an inserted "[erased]"). */
const value = fc
  .stringMatching(/^[A-Za-z0-9][A-Za-z0-9 .@+'"-]{2,24}$/)
  .map((v) => v.trim())
  .filter((v) => v.length >= 3 && !ERASED.includes(v.toLowerCase()));
const filler = fc.stringMatching(/^[A-Za-z0-9 ,.:;"\n-]{0,40}$/);
const casing = fc.constantFrom(
  (s: string) => s,
  (s: string) => s.toLowerCase(),
  (s: string) => s.toUpperCase(),
);

describe("redactor", () => {
  it("leaves no copy of a value in a text, in any letter case", () => {
    fc.assert(
      fc.property(value, filler, filler, casing, (v, before, after, cased) => {
        const out = redactor([v]).text(`${before}${cased(v)}${after}${v}`);
        expect(out.toLowerCase()).not.toContain(v.toLowerCase());
        expect(out).toContain(ERASED);
      }),
    );
  });

  it("changes nothing in a text without the values, and says so", () => {
    fc.assert(
      fc.property(value, filler, (v, text) => {
        fc.pre(!text.toLowerCase().includes(v.toLowerCase()));
        const r = redactor([v]);
        const variantsIn = variants(v).some((x) => text.toLowerCase().includes(x.toLowerCase()));
        fc.pre(!variantsIn);
        expect(r.finds(text)).toBe(false);
        expect(r.text(text)).toBe(text);
      }),
    );
  });

  it("keeps a JSON value's shape, numbers and flags; redacts its strings and keys", () => {
    fc.assert(
      fc.property(value, fc.integer(), fc.boolean(), (v, n, b) => {
        const out = redactor([v]).json({ [v]: { n, b, list: [v, `call ${v}`, null] } });
        expect(out).toEqual({ [ERASED]: { n, b, list: [ERASED, `call ${ERASED}`, null] } });
      }),
    );
  });

  it("finds an IBAN in groups of four and a phone number as digits", () => {
    const r = redactor(["NL20INGB0001234567", "+31 6 1234 5678"]);
    expect(r.text("IBAN NL20 INGB 0001 2345 67, tel. 31612345678")).toBe(`IBAN ${ERASED}, tel. ${ERASED}`);
    expect(r.text("nl20ingb0001234567 / +31612345678")).toBe(`${ERASED} / ${ERASED}`);
  });

  it("searches a JSON document's text for a value with a quote in its escaped form", () => {
    expect(redactor(['Quirijn "Q" Zwart']).jsonNeedles).toContain('quirijn \\"q\\" zwart');
  });

  it("ignores values too short to be anyone's (a country code, a house number)", () => {
    expect(redactor(["NL", "12", null, undefined]).text("NL 12")).toBe("NL 12");
  });
});
