import fc from "fast-check";
import { composeIBAN, countrySpecs, isSEPACountry, isValidIBAN } from "ibantools";
import { describe, expect, it } from "vitest";
import { passesIbanScreen } from "../../../src/bank/iban.ts";

// IBANs built by ibantools for SEPA countries with purely numeric account formats.
const numericBban = fc
  .constantFrom("NL", "DE", "BE", "FR", "ES", "IT", "AT", "LU")
  .chain((country) =>
    fc
      .string({ unit: fc.constantFrom(..."0123456789"), minLength: 30, maxLength: 30 })
      .map((digits) => ({ country, digits })),
  );

function ibanOf(country: string, digits: string): string | null {
  const length = countrySpecs[country]!.chars! - 4;
  const bban = country === "NL" ? `ABNA${digits.slice(0, length - 4)}` : digits.slice(0, length);
  return composeIBAN({ countryCode: country, bban }) ?? null;
}

/** ISO 13616 as written: rearrange, letters to numbers, one big integer mod 97 must be 1. */
function screenByTheBook(iban: string): boolean {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban)) return false;
  const country = iban.slice(0, 2);
  if (countrySpecs[country]?.chars !== iban.length || !isSEPACountry(country)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  const digits = [...rearranged].map((c) => (/\d/.test(c) ? c : String(c.charCodeAt(0) - 55))).join("");
  return BigInt(digits) % 97n === 1n;
}

describe("IBAN screen", () => {
  it("accepts every IBAN ibantools accepts", () => {
    fc.assert(
      fc.property(numericBban, ({ country, digits }) => {
        const iban = ibanOf(country, digits);
        fc.pre(iban !== null && isValidIBAN(iban));
        expect(passesIbanScreen(iban!)).toBe(true);
      }),
    );
  });

  it("refuses exactly what has wrong check digits, length, characters or country", () => {
    fc.assert(
      fc.property(
        numericBban,
        fc.nat(40),
        fc.constantFrom(..."0123456789ABZ a-"),
        ({ country, digits }, at, ch) => {
          const iban = ibanOf(country, digits);
          fc.pre(iban !== null);
          const i = at % (iban!.length + 1);
          const changed = iban!.slice(0, i) + ch + iban!.slice(i + 1);
          expect(passesIbanScreen(changed)).toBe(screenByTheBook(changed));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("refuses IBANs of countries outside SEPA and in another format", () => {
    expect(passesIbanScreen("NL91ABNA0417164300")).toBe(true);
    expect(passesIbanScreen("nl91abna0417164300")).toBe(false);
    expect(passesIbanScreen("NL91 ABNA 0417 1643 00")).toBe(false);
    expect(passesIbanScreen("NL92ABNA0417164300")).toBe(false);
    // Brazil has IBANs but is not a SEPA country.
    expect(passesIbanScreen("BR1800360305000010009795493C1")).toBe(false);
  });
});
