import i18next, { type i18n } from "i18next";
import { formatAmount } from "../money.ts";
import en from "./locales/en.json" with { type: "json" };
import fr from "./locales/fr.json" with { type: "json" };
import nl from "./locales/nl.json" with { type: "json" };

/**
 * The languages every customer text exists in. The catalogs (`locales/*.json`) are plain i18next
 * resources so the web portal can load the same files; this module adds the two formats the
 * catalogs use: `{{x, money}}` (integer cents) and `{{x, date}}` (a `YYYY-MM-DD` calendar date).
 */
export const LANGUAGES = ["nl", "fr", "en"] as const;
export type Language = (typeof LANGUAGES)[number];

export const CATALOGS: Readonly<Record<Language, unknown>> = { nl, fr, en };

export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);
}

/**
 * The Intl locale a reader of `language` in `country` expects: Dutch in Belgium writes dates and
 * amounts as in the Netherlands but is its own locale; English uses the euro area's (Ireland's)
 * conventions, "€1,234.56" and "25 March 2026".
 */
export function localeOf(language: Language, country: string): string {
  return language === "en" ? "en-IE" : `${language}-${country}`;
}

function createInstance(): i18n {
  const instance = i18next.createInstance();
  void instance.init({
    resources: { nl: { translation: nl }, fr: { translation: fr }, en: { translation: en } },
    // A locale such as "fr-BE" resolves to the "fr" catalog; never to another language.
    fallbackLng: false,
    supportedLngs: [...LANGUAGES],
    nonExplicitSupportedLngs: true,
    initAsync: false,
    // Texts are plain text (letters, API strings), never HTML.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  const formatter = instance.services.formatter;
  if (!formatter) throw new Error("i18next has no formatter service");
  formatter.addCached("money", (lng) => {
    const f = new Intl.NumberFormat(lng, { style: "currency", currency: "EUR" });
    // The decimal string keeps the amount exact: Intl formats it without going through a float.
    return (cents: number) => f.format(formatAmount(cents) as `${number}`);
  });
  formatter.addCached("date", (lng) => {
    const f = new Intl.DateTimeFormat(lng, { dateStyle: "long", timeZone: "UTC" });
    return (date: string) => f.format(new Date(`${date}T00:00:00Z`));
  });
  return instance;
}

const instance = createInstance();

export type Params = object;

/** The text of `key` in the reader's locale (e.g. "nl-BE"); throws on a key no catalog of it has. */
export function t(locale: string, key: string, params: Params = {}): string {
  if (!instance.exists(key, { lng: locale })) throw new Error(`no text for ${key} in ${locale}`);
  return instance.t(key, { ...params, lng: locale });
}

/** Whether the catalog of `language` has a text for `key` (for the completeness test). */
export function hasText(language: Language, key: string): boolean {
  return instance.exists(key, { lng: language });
}

/** An amount of cents as the reader's locale writes money: "€ 1.234,56", "1 234,56 €", "€1,234.56". */
export function money(locale: string, cents: number): string {
  return t(locale, "format.money", { amount: cents });
}

/** Money in the platform's own messages (errors, logs), which are English: "€1,234.56". */
export function eur(cents: number): string {
  return money("en-IE", cents);
}

/** A calendar date as the reader's locale writes it: "25 maart 2026", "25 mars 2026". */
export function longDate(locale: string, date: string): string {
  return t(locale, "format.date", { date });
}

/** "a, b en c" / "a, b et c" / "a, b and c". */
export function listOf(locale: string, items: readonly string[]): string {
  return new Intl.ListFormat(locale, { style: "long", type: "conjunction" }).format(items);
}

/** The first language of an Accept-Language header that we write in, or null. */
export function fromAcceptLanguage(header: string | undefined): Language | null {
  if (!header) return null;
  const ranked = header
    .split(",")
    .map((part, i) => {
      const [tag = "", ...rest] = part.trim().split(";");
      const q = rest.map((r) => /^\s*q=([\d.]+)\s*$/.exec(r)?.[1]).find((v) => v !== undefined);
      return { lang: tag.trim().toLowerCase().split("-")[0], q: q === undefined ? 1 : Number(q), i };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return ranked.map((r) => r.lang).find(isLanguage) ?? null;
}
