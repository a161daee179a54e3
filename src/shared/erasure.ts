/**
 * What every module's `erasePartyData` gets from the erase-party flow (src/flows/erase-party.ts),
 * and the redactor it uses on text it must keep. Pure: no I/O, nothing of the project imported.
 */

/** What an erased value, or an erased free text, reads as afterwards. */
export const ERASED = "[erased]";

export interface Redactor {
  /**
   * The values and their variants as typed and lower-cased, for a database prefilter on `col` and
   * `lower(col)` (a C-locale `lower` folds ASCII only, so the typed form is searched too).
   */
  readonly needles: readonly string[];
  /** The same as they appear inside a JSON document's text (`"` → `\"`). */
  readonly jsonNeedles: readonly string[];
  /** true when the text holds one of the values in any letter case. */
  finds(text: string): boolean;
  /** The text with every value, in any letter case, replaced by ERASED. */
  text(text: string): string;
  /** Every string inside a JSON value redacted (keys too: a fact could be named after a person). */
  json(value: unknown): unknown;
}

/** Shorter values ("NL", a house number) would erase unrelated words. */
const MIN_LENGTH = 3;

/**
 * The forms a value is typed in besides its own: an IBAN compact and in groups of four, a phone
 * number as digits only and without its spaces, an e-mail address lower-cased (by the case-blind
 * match).
 */
export function variants(value: string): string[] {
  const v = value.trim().replace(/\s+/g, " ");
  const out = new Set([v]);
  const compact = v.replace(/[\s-]/g, "");
  if (compact !== v) out.add(compact);
  if (/^[A-Za-z]{2}\d{2}[A-Za-z0-9]{8,30}$/.test(compact)) {
    out.add(compact.toUpperCase().replace(/(.{4})(?=.)/g, "$1 "));
  }
  const digits = v.replace(/\D/g, "");
  if (/^[+\d\s().-]+$/.test(v) && digits.length >= 6) out.add(digits);
  return [...out].filter((s) => s.length >= MIN_LENGTH);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export function redactor(values: readonly (string | null | undefined)[]): Redactor {
  const all = [
    ...new Set(values.flatMap((v) => (typeof v === "string" ? variants(v) : []))),
    // Longest first, so "Alice Aalders" goes before an "Alice" inside it.
  ].sort((a, b) => b.length - a.length);
  // A space in a value stands for any run of white space: "Alice  Aalders", "Alice\nAalders".
  const source = all.map((v) => escapeRegExp(v).replace(/ /g, "\\s+")).join("|");
  const pattern = all.length > 0 ? new RegExp(source, "giu") : null;
  const text = (s: string) => (pattern ? s.replace(pattern, ERASED) : s);
  const json = (value: unknown): unknown => {
    if (typeof value === "string") return text(value);
    if (Array.isArray(value)) return value.map(json);
    if (value !== null && typeof value === "object")
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [text(k), json(v)]));
    return value;
  };
  const needles = [...new Set(all.flatMap((s) => [s, s.toLowerCase()]))];
  return {
    needles,
    jsonNeedles: [...new Set(needles.map((s) => JSON.stringify(s).slice(1, -1)))],
    finds: (s) => pattern !== null && s.search(pattern) >= 0,
    text,
    json,
  };
}

/** Who is erased, and with what. Built once by the flow, handed to each module in turn. */
export interface ErasureScope {
  partyId: string;
  /** The party's policies; may be empty, so each module checks before an `in (…)`. */
  policyIds: readonly string[];
  /** The party's logins. */
  userIds: readonly string[];
  /** The stand-in kept where a name must stay (mandates, payouts, letters). */
  alias: string;
  /** Everything known about the party: for rows that belong to them. */
  own: Redactor;
  /**
   * Only the values that identify the party alone (name, e-mail, phone, IBANs, account holders),
   * not address parts a neighbour shares: for rows of others searched by content.
   */
  identifying: Redactor;
  now: Date;
  /** The calendar day of the erasure (UTC), e.g. a mandate's revocation date. */
  today: string;
}
