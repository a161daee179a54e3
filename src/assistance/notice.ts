import type { Language } from "../shared/i18n/index.ts";
import { localeOf, t } from "../shared/i18n/index.ts";
import type { ContentType, RemovalGround } from "./model.ts";

export interface NoticeInput {
  language: Language;
  country: string;
  platform: string;
  url: string;
  contentType: ContentType;
  ground: RemovalGround;
  /** The notifier's own account of why the content is illegal or breaches the terms. */
  explanation: string;
  notifierName: string;
  notifierEmail: string;
}

/**
 * The notice to a platform in the policyholder's language with what Art. 16(2) DSA asks of it:
 * (a) why the content is illegal, (b) its exact URL, (c) the notifier's name and e-mail, (d) a
 * statement of good faith. Pure: the same item always reads the same way.
 */
export function renderNotice(n: NoticeInput): { subject: string; body: string } {
  const locale = localeOf(n.language, n.country);
  const k = (key: string, params: object = {}) => t(locale, `assistance.notice.${key}`, params);
  const body = [
    k("intro", { platform: n.platform }),
    "",
    k("body", { contentType: k(`contentType.${n.contentType}`) }),
    k("url", { url: n.url }),
    k("why", { ground: k(`ground.${n.ground}`), explanation: n.explanation.trim() }),
    k("notifier", { name: n.notifierName, email: n.notifierEmail }),
    "",
    k("goodFaith"),
    k("closing"),
  ].join("\n");
  return { subject: k("subject"), body };
}

/** An item's URL must be an absolute http(s) URL: that is what the platform needs to find it. */
export function isWebUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return (u.protocol === "http:" || u.protocol === "https:") && u.hostname.length > 0;
  } catch {
    return false;
  }
}
