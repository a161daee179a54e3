/**
 * SEPA creditor identifier (CI), EPC262-08: country code (2 letters), check digits (2), creditor
 * business code (3 characters, "ZZZ" by default and freely chosen by the creditor, which is why it is
 * left out of the check), then the national identifier (up to 28 characters).
 */
const CREDITOR_ID = /^([A-Z]{2})(\d{2})([A-Z0-9]{3})([A-Z0-9]{1,28})$/;

/** Normalises user input: creditor ids are printed in groups and in lower case on some letters. */
export function normaliseCreditorId(value: string): string {
  return value.replace(/\s+/g, "").toUpperCase();
}

/** ISO 7064 MOD 97-10 over the national id followed by country code and "00", letters as A=10…Z=35. */
export function creditorIdCheckDigits(countryCode: string, nationalId: string): string {
  const remainder = mod97(`${nationalId}${countryCode}00`);
  return String(98 - remainder).padStart(2, "0");
}

export function isValidCreditorId(value: string): boolean {
  const m = CREDITOR_ID.exec(value);
  if (!m) return false;
  const [, country, check, , nationalId] = m as unknown as [string, string, string, string, string];
  return creditorIdCheckDigits(country, nationalId) === check;
}

function mod97(alphanumeric: string): number {
  let remainder = 0;
  for (const ch of alphanumeric) {
    const code = ch.charCodeAt(0);
    // Digits stay digits; letters expand to two digits (A=10), so they shift the remainder by 100.
    if (code >= 48 && code <= 57) {
      remainder = (remainder * 10 + (code - 48)) % 97;
    } else {
      remainder = (remainder * 100 + (code - 55)) % 97;
    }
  }
  return remainder;
}
