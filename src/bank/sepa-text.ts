/**
 * The EPC rulebooks restrict text in SEPA messages to the basic Latin set below; banks reject
 * (or silently mangle) anything else. Free text is transliterated and cut to length; identifiers are
 * never altered, because they must round-trip exactly to match status reports and returns.
 */
const SEPA_TEXT_CHAR = /[A-Za-z0-9/\-?:().,'+ ]/;
const SEPA_ID = /^[A-Za-z0-9/\-?:().,'+]+$/;

const SPECIAL_LETTERS: Record<string, string> = {
  ß: "ss",
  æ: "ae",
  Æ: "AE",
  ø: "o",
  Ø: "O",
  œ: "oe",
  Œ: "OE",
  ł: "l",
  Ł: "L",
  đ: "d",
  Đ: "D",
  þ: "th",
  Þ: "TH",
  "&": "+",
  "€": "EUR",
};

/** Transliterates to the SEPA character set, collapses whitespace and cuts to `maxLength`. */
export function toSepaText(value: string, maxLength: number): string {
  let out = "";
  // NFD splits "é" into "e" + a combining accent, which the filter below then drops.
  for (const ch of value.normalize("NFD")) {
    if (SEPA_TEXT_CHAR.test(ch)) out += ch;
    else if (!/\p{M}/u.test(ch)) out += SPECIAL_LETTERS[ch] ?? " ";
  }
  return out.replace(/\s+/g, " ").trim().slice(0, maxLength).trimEnd();
}

/** Why an identifier is not acceptable to a SEPA bank, or null when it is. */
export function sepaIdProblem(value: string, maxLength = 35): string | null {
  if (value.length === 0) return "must not be empty";
  if (value.length > maxLength) return `must be at most ${maxLength} characters (got ${value.length})`;
  if (!SEPA_ID.test(value)) return "may only contain A-Z a-z 0-9 / - ? : ( ) . , ' + (no spaces)";
  // EPC rule for references: a leading/trailing or double slash is reserved for structured codes.
  if (value.startsWith("/") || value.endsWith("/") || value.includes("//")) {
    return "must not start or end with '/' or contain '//'";
  }
  return null;
}

export function escapeXml(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}
