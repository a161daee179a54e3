import type { FastifyBaseLogger } from "fastify";
import { type AccountMail, type Mailer, maskEmail } from "../identity/index.ts";

/**
 * The mailer while no mail transport is configured: one log line per mail with the address
 * masked, and the link at `linkLevel` (see HttpConfig.mailLinkLogLevel). The text is not logged:
 * it carries the link too. No mail ever holds a password.
 */
export function logMailer(log: FastifyBaseLogger, linkLevel: "info" | "debug"): Mailer {
  return async (mail: AccountMail) => {
    const line = { mail: { kind: mail.kind, to: maskEmail(mail.to), subject: mail.subject } };
    if (linkLevel === "info")
      log.info({ ...line, link: mail.link }, "account mail (no mail transport: logged)");
    else {
      log.info(line, "account mail (no mail transport: logged; the link at debug level)");
      log.debug({ mail: { kind: mail.kind }, link: mail.link }, "account mail link");
    }
  };
}
