import pino from "pino";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mailConfigFromEnv } from "../../../src/documents/index.ts";
import { smtpMailer } from "../../../src/http/mailer.ts";

/**
 * Issue 14 item 2: account mails go through the mail path where it exists. With SMTP_URL set they
 * are sent over SMTP (a real server from the `smtp-server` package here), like the letters.
 */
const received: { to: string[]; raw: string }[] = [];
let server: SMTPServer;
let port = 0;

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        received.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        cb();
      });
    },
  });
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", () => ready()));
  port = (server.server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

describe("account mails over SMTP", () => {
  it("sends a verification mail with its link to the address", { timeout: 30_000 }, async () => {
    const config = mailConfigFromEnv({
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      MAIL_FROM: "Cyberpolis <noreply@example.test>",
    });
    expect(config).not.toBeNull();
    const mailer = smtpMailer(config!, pino({ level: "silent" }));
    await mailer({
      kind: "verify_email",
      to: "sanne@example.test",
      subject: "Bevestig je e-mailadres",
      text: "Klik op de link: https://portal.example.test/verify?token=abc",
      link: "https://portal.example.test/verify?token=abc",
    });
    expect(received).toHaveLength(1);
    expect(received[0]!.to).toEqual(["sanne@example.test"]);
    expect(received[0]!.raw).toContain("Subject: Bevestig je e-mailadres");
    expect(received[0]!.raw).toContain("verify?token=abc");
  });
});
