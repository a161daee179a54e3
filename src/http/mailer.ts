import type { FastifyBaseLogger } from "fastify";
import type { MailConfig } from "../documents/index.ts";
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

/**
 * The mailer when SMTP_URL is configured: account mails (verification, reset, invitation) go out
 * over the same SMTP transport as the letters, after the commit. A mail that cannot be handed to
 * the server is logged with the address masked; the user can ask for a new link.
 */
export function smtpMailer(config: MailConfig, log: FastifyBaseLogger): Mailer {
  return async (mail: AccountMail) => {
    try {
      await config.transport.sendMail({
        from: config.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
      });
      log.info({ mail: { kind: mail.kind, to: maskEmail(mail.to) } }, "account mail sent");
    } catch (e) {
      log.error(
        { mail: { kind: mail.kind, to: maskEmail(mail.to) }, err: (e as Error).message },
        "account mail not sent",
      );
    }
  };
}
