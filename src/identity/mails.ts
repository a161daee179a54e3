import { type Language, t } from "../shared/i18n/index.ts";
import type { AccountMail, AccountMailKind } from "./model.ts";

/**
 * The account e-mails as plain data (pure): subject and text in the reader's language, the link
 * once in the text. Whatever delivers mail (the outbox, SMTP, a log line) takes them as they are.
 */
export function accountMail(input: {
  kind: AccountMailKind;
  language: Language;
  to: string;
  name: string;
  link: string;
  validSeconds: number;
}): AccountMail {
  const l = input.language;
  const k = `accounts.${input.kind}`;
  const hours = Math.max(1, Math.round(input.validSeconds / 3600));
  const text = [
    t(l, "accounts.greeting", { name: input.name }),
    "",
    t(l, `${k}.body`),
    "",
    input.link,
    "",
    t(l, `${k}.valid`, { duration: t(l, `accounts.hours_${plural(l, hours)}`, { n: hours }) }),
    t(l, "accounts.ignore"),
    "",
    t(l, "accounts.closing"),
    "",
  ].join("\n");
  return { kind: input.kind, to: input.to, subject: t(l, `${k}.subject`), text, link: input.link };
}

/** The catalogs have the "one" and "other" forms; French counts 0 and 1 as "one". */
function plural(language: Language, n: number): "one" | "other" {
  return new Intl.PluralRules(language).select(n) === "one" ? "one" : "other";
}

/** Where a link of `kind` leads: the portal page that posts the token to the API. */
export function linkUrl(publicUrl: string, kind: AccountMailKind, token: string): string {
  const page = kind === "verify_email" ? "verify-email" : "set-password";
  return `${publicUrl.replace(/\/+$/, "")}/account/${page}?token=${encodeURIComponent(token)}`;
}

/** "a***@example.test": enough for an operator to tell mails apart, not to read an address. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at <= 0) return "***";
  return `${email[0]}***${email.slice(at)}`;
}
