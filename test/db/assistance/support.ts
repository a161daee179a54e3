import { openCase } from "../../../src/assistance/index.ts";
import type { Db } from "../../../src/db/connection.ts";
import type { Ctx } from "../../../src/shared/context.ts";
import { catalog, inTx } from "../services/helpers.ts";

export function ctxAt(instant: string, actor = "test"): Ctx {
  return { actor, now: new Date(instant), catalog };
}

export function openAt(
  db: Db,
  policyId: string,
  instant: string,
  opts: { category?: string; ongoing?: boolean; reference?: string } = {},
) {
  return inTx(db, (tx) =>
    openCase(tx, ctxAt(instant, "user:agent"), {
      policyId,
      openedAt: new Date(instant),
      channel: "phone",
      category: opts.category ?? "extortion",
      ongoing: opts.ongoing,
      reference: opts.reference,
      authorRole: "helpline_agent",
    }),
  );
}
