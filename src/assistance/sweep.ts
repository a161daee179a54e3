import type { Kysely } from "kysely";
import type { Database, Tx } from "../db/schema.ts";
import type { Job } from "../jobs/index.ts";
import type { Ctx } from "../shared/context.ts";
import { sweepBreaches, sweepNoResponse } from "./store/sweep.ts";

/**
 * The helpline's sweep: records every target that passed unmet (once per case and target,
 * escalated to helpline_supervisor) and brings content-removal items without an answer back on
 * the queue. Idempotent: a second run, a late run or two runs at once record nothing twice
 * (store/sweep.ts). `ctx.now` is the injected clock.
 */
export async function runAssistanceSweep(db: Kysely<Database>, ctx: Ctx) {
  return db.transaction().execute((tx) => sweepAssistance(tx, ctx));
}

/** The sweep inside the caller's transaction (the demo seeds in one). */
export async function sweepAssistance(tx: Tx, ctx: Ctx) {
  const breaches = await sweepBreaches(tx, ctx);
  let followUps = 0;
  for (const p of ctx.catalog.list()) {
    if (!p.assistance) continue;
    followUps += await sweepNoResponse(tx, ctx, {
      code: p.code,
      version: p.version,
      hours: p.assistance.contentRemovalNoResponseHours,
    });
  }
  return {
    breaches,
    followUps,
    summary: `${breaches} breaches recorded, ${followUps} removal items back on the queue`,
  };
}

export const ASSISTANCE_SWEEP: Job = {
  name: "assistance_sweep",
  schedule: "* * * * *",
  run: runAssistanceSweep,
};
