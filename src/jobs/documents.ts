import { collectDocuments, mailConfigFromEnv, sendDocuments } from "../documents/index.ts";
import type { Job } from "./tasks.ts";

/** The documents module's sweeps (issue 13): render what has no PDF yet, then mail the outbox. */
export const DOCUMENT_JOBS: readonly Job[] = [
  {
    // Letters, decisions, schedules, cancellations and refunds without their PDF get one, queued by e-mail.
    name: "documents_collect",
    schedule: "* * * * *",
    run: (db, ctx) => collectDocuments(db, ctx),
  },
  {
    // The e-mail outbox through SMTP_URL; without it the letters wait in the outbox.
    name: "documents_send",
    schedule: "* * * * *",
    run: (db, ctx) => sendDocuments(db, ctx, mailConfigFromEnv()),
  },
];
