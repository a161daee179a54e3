import type { AddressInfo } from "node:net";
import { createServer, type Server, type Socket } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../../src/db/connection.ts";
import {
  bounceDelivery,
  collectDocuments,
  mailConfigFromEnv,
  sendDocuments,
} from "../../../src/documents/index.ts";
import { createTestDb } from "../../support/db.ts";
import { ctxOn, inTx } from "../services/helpers.ts";
import { belgianHousehold } from "./fixtures.ts";

/** A real SMTP server (smtp-server): refuses recipients starting with "refused", keeps the rest. */
interface Mail {
  to: string[];
  raw: string;
}
let smtp: SMTPServer;
let smtpPort: number;
const received: Mail[] = [];

/** A server that closes every connection at once, and one that accepts and never says a word. */
let dropper: Server;
let silent: Server;
const silentSockets: Socket[] = [];

let db: Db;

function listen(server: { listen: (port: number, host: string, cb: () => void) => unknown }): Promise<void> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
}
const portOf = (s: Server) => (s.address() as AddressInfo).port;
const mailTo = (port: number) =>
  mailConfigFromEnv(
    { SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: "Cyberpolis <brieven@cyberpolis.test>" },
    1500,
  );

beforeAll(async () => {
  db = await createTestDb();
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onRcptTo(address, _session, cb) {
      if (address.address.startsWith("refused")) {
        return cb(Object.assign(new Error("5.1.1 mailbox unavailable"), { responseCode: 550 }));
      }
      cb();
    },
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
  await listen(smtp);
  smtpPort = (smtp.server.address() as AddressInfo).port;
  dropper = createServer((socket) => socket.destroy());
  await listen(dropper);
  silent = createServer((socket) => {
    silentSockets.push(socket);
  });
  await listen(silent);
});

afterAll(async () => {
  for (const s of silentSockets) s.destroy();
  await new Promise<void>((r) => smtp.close(() => r()));
  await new Promise<void>((r) => dropper.close(() => r()));
  await new Promise<void>((r) => silent.close(() => r()));
  await db.close();
});

beforeEach(async () => {
  received.length = 0;
  await inTx(db, async (tx) => {
    await tx
      .updateTable("document_deliveries")
      .set({ status: "sent", message_id: "<old@test>", lease_until: null })
      .execute();
  });
});

const deliveries = () => db.kysely.selectFrom("document_deliveries").selectAll().orderBy("id").execute();

async function newLetters(email: string) {
  await belgianHousehold(db, email);
  await collectDocuments(db.kysely, ctxOn("2026-03-06"));
  return (await deliveries()).filter((d) => d.recipient === email);
}

describe("documents_send", () => {
  it("without SMTP_URL sends nothing and leaves the letters in the outbox", async () => {
    const mine = await newLetters("nosmtp@example.org");
    const r = await sendDocuments(db.kysely, ctxOn("2026-03-06"), mailConfigFromEnv({}));
    expect(r.summary).toMatch(/SMTP_URL unset: 3 letters wait/);
    const after = (await deliveries()).filter((d) => mine.some((m) => m.id === d.id));
    expect(after.every((d) => d.status === "pending" && d.attempts === 0)).toBe(true);
  });

  it("sends each letter once with its PDF attached, keeps the Message-ID, and never sends it again", async () => {
    await newLetters("anne@example.org");
    const r = await sendDocuments(db.kysely, ctxOn("2026-03-06"), mailTo(smtpPort));
    expect(r.sent).toBe(3);
    const mine = (await deliveries()).filter((d) => d.recipient === "anne@example.org");
    expect(mine.every((d) => d.status === "sent" && d.message_id?.endsWith("@cyberpolis.test>"))).toBe(true);
    const toAnne = received.filter((m) => m.to.includes("anne@example.org"));
    expect(toAnne).toHaveLength(3);
    expect(toAnne.every((m) => m.raw.includes("Content-Type: application/pdf"))).toBe(true);
    expect(toAnne.some((m) => m.raw.includes(mine[0]!.message_id!))).toBe(true);
    const again = await sendDocuments(db.kysely, ctxOn("2026-03-06"), mailTo(smtpPort));
    expect(again.sent).toBe(0);
    expect(received.filter((m) => m.to.includes("anne@example.org"))).toHaveLength(3);
  });

  it("records a refused recipient on the letter and does not retry it", async () => {
    await newLetters("refused@example.org");
    const r = await sendDocuments(db.kysely, ctxOn("2026-03-06"), mailTo(smtpPort));
    expect(r.refused).toBe(3);
    const mine = (await deliveries()).filter((d) => d.recipient === "refused@example.org");
    expect(mine.every((d) => d.status === "refused" && /550/.test(d.last_error ?? ""))).toBe(true);
    expect(received).toHaveLength(0);
  });

  it("retries with backoff after a dropped connection or a server that never answers, then sends once", async () => {
    await newLetters("bert@example.org");
    const dropped = await sendDocuments(db.kysely, ctxOn("2026-03-06"), mailTo(portOf(dropper)));
    expect(dropped.retried).toBe(3);
    let mine = (await deliveries()).filter((d) => d.recipient === "bert@example.org");
    const t0 = ctxOn("2026-03-06").now.getTime();
    expect(mine.every((d) => d.status === "pending" && d.attempts === 1 && d.last_error)).toBe(true);
    expect(mine.every((d) => d.next_attempt_at.getTime() === t0 + 60_000)).toBe(true);
    // Not yet due: nothing is tried.
    expect((await sendDocuments(db.kysely, ctxOn("2026-03-06"), mailTo(smtpPort))).sent).toBe(0);
    const later = { ...ctxOn("2026-03-06"), now: new Date(t0 + 61_000) };
    const quiet = await sendDocuments(db.kysely, later, mailTo(portOf(silent)));
    expect(quiet.retried).toBe(3);
    mine = (await deliveries()).filter((d) => d.recipient === "bert@example.org");
    expect(mine.every((d) => d.attempts === 2 && d.next_attempt_at.getTime() === t0 + 61_000 + 120_000)).toBe(
      true,
    );
    const ok = await sendDocuments(db.kysely, { ...later, now: new Date(t0 + 200_000) }, mailTo(smtpPort));
    expect(ok.sent).toBe(3);
    expect(received.filter((m) => m.to.includes("bert@example.org"))).toHaveLength(3);
  });

  it("gives up after the last attempt and shows the error on the letter", async () => {
    await newLetters("carl@example.org");
    const retry = { baseMs: 1000, capMs: 1000, maxAttempts: 2 };
    const t0 = ctxOn("2026-03-06").now.getTime();
    await sendDocuments(db.kysely, ctxOn("2026-03-06"), mailTo(portOf(dropper)), { retry });
    const last = await sendDocuments(
      db.kysely,
      { ...ctxOn("2026-03-06"), now: new Date(t0 + 5000) },
      mailTo(portOf(dropper)),
      {
        retry,
      },
    );
    expect(last.failed).toBe(3);
    const mine = (await deliveries()).filter((d) => d.recipient === "carl@example.org");
    expect(mine.every((d) => d.status === "failed" && d.attempts === 2 && d.last_error)).toBe(true);
  });

  it("two senders at once send every letter once", async () => {
    await newLetters("dora@example.org");
    const [a, b] = await Promise.all([
      sendDocuments(db.kysely, ctxOn("2026-03-06"), mailTo(smtpPort), { batch: 1 }),
      sendDocuments(db.kysely, ctxOn("2026-03-06"), mailTo(smtpPort), { batch: 1 }),
    ]);
    expect(a.sent + b.sent).toBe(3);
    expect(received.filter((m) => m.to.includes("dora@example.org"))).toHaveLength(3);
  });

  it("a delivery whose sender stopped mid-send is marked failed, never sent a second time", async () => {
    await newLetters("emma@example.org");
    const mine = (await deliveries()).filter((d) => d.recipient === "emma@example.org");
    const t0 = ctxOn("2026-03-06").now.getTime();
    await inTx(db, (tx) =>
      tx
        .updateTable("document_deliveries")
        .set({ status: "sending", attempts: 1, lease_until: new Date(t0 - 1000) })
        .where(
          "id",
          "in",
          mine.map((d) => d.id),
        )
        .execute(),
    );
    const r = await sendDocuments(db.kysely, ctxOn("2026-03-06"), mailTo(smtpPort));
    expect(r.failed).toBe(3);
    expect(received).toHaveLength(0);
    const after = (await deliveries()).filter((d) => d.recipient === "emma@example.org");
    expect(after.every((d) => d.status === "failed" && /never arrives twice/.test(d.last_error ?? ""))).toBe(
      true,
    );
  });

  it("a bounce after acceptance shows on the letter as refused", async () => {
    await newLetters("fay@example.org");
    await sendDocuments(db.kysely, ctxOn("2026-03-06"), mailTo(smtpPort));
    const sent = (await deliveries()).find((d) => d.recipient === "fay@example.org")!;
    await inTx(db, (tx) =>
      bounceDelivery(tx, ctxOn("2026-03-07"), {
        messageId: sent.message_id!,
        reason: "550 5.1.1 user unknown",
      }),
    );
    const after = (await deliveries()).find((d) => d.id === sent.id)!;
    expect(after.status).toBe("refused");
    expect(after.last_error).toBe("bounced: 550 5.1.1 user unknown");
    await expect(
      inTx(db, (tx) => bounceDelivery(tx, ctxOn("2026-03-07"), { messageId: "<none@x>", reason: "x" })),
    ).rejects.toMatchObject({ code: "not_found" });
  });
});
