import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  eur,
  fromAcceptLanguage,
  listOf,
  localeOf,
  longDate,
  money,
  t,
} from "../../../src/shared/i18n/index.ts";
import { cents } from "../../support/arbitraries.ts";

/** Intl puts a no-break space between "€" and the amount; French groups with a narrow one. */
const nbsp = (s: string) => s.replace(/ /g, "\u00a0");

describe("money in the reader's locale", () => {
  it("groups thousands per locale (moved from displayAmount)", () => {
    expect(money("nl-NL", 123_450)).toBe(nbsp("€ 1.234,50"));
    expect(money("en-IE", 123_450)).toBe("€1,234.50");
    expect(money("nl-NL", 500_000)).toBe(nbsp("€ 5.000,00"));
    expect(money("en-IE", 5)).toBe("€0.05");
  });

  it("writes € 1.234,56 in nl-NL and nl-BE, 1 234,56 € in fr-BE and €1,234.56 in English", () => {
    expect(money(localeOf("nl", "NL"), 123_456)).toBe(nbsp("€ 1.234,56"));
    expect(money(localeOf("nl", "BE"), 123_456)).toBe(nbsp("€ 1.234,56"));
    expect(money(localeOf("fr", "BE"), 123_456)).toBe("1\u202f234,56\u00a0€");
    expect(money(localeOf("en", "BE"), 123_456)).toBe("€1,234.56");
    expect(eur(65_000)).toBe("€650.00");
  });

  it("keeps every cent: the digits are the cents, whatever the locale", () => {
    fc.assert(
      fc.property(cents(1_000_000_000), fc.constantFrom("nl-NL", "nl-BE", "fr-BE", "en-IE"), (c, locale) => {
        expect(Number(money(locale, c).replace(/\D/g, ""))).toBe(c);
      }),
    );
  });
});

describe("dates and lists in the reader's locale", () => {
  it("writes calendar dates out, never as ISO strings, and never shifts them by a time zone", () => {
    expect(longDate("nl-NL", "2026-03-15")).toBe("15 maart 2026");
    expect(longDate("nl-BE", "2026-12-31")).toBe("31 december 2026");
    expect(longDate("fr-BE", "2026-01-01")).toBe("1 janvier 2026");
    expect(longDate("en-IE", "2028-02-29")).toBe("29 February 2028");
  });

  it("joins lists with the language's own word", () => {
    expect(listOf("nl-NL", ["a", "b", "c"])).toBe("a, b en c");
    expect(listOf("fr-BE", ["a", "b"])).toBe("a et b");
    expect(listOf("en-IE", ["a"])).toBe("a");
  });

  it("throws on a key no catalog has, rather than showing the key", () => {
    expect(() => t("fr-BE", "claim.step.no_such_code")).toThrow(/no text/);
  });
});

describe("Accept-Language", () => {
  it.each([
    [undefined, null],
    ["", null],
    ["fr-BE,fr;q=0.9,en;q=0.8", "fr"],
    ["de-DE, en;q=0.5, nl;q=0.7", "nl"],
    ["en-GB", "en"],
    ["de, *;q=0.1", null],
    ["nl;q=0, fr", "fr"],
  ] as const)("%s → %s", (header, language) => {
    expect(fromAcceptLanguage(header)).toBe(language);
  });
});
