import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
import type { Ctx } from "../shared/context.ts";
import { NotFoundError } from "../shared/errors.ts";
import { scheduleDoc } from "./collect.ts";
import { fonts } from "./fonts.ts";
import { renderDocument } from "./render.ts";
import { findPolicy, sourceKey } from "./sources.ts";
import { documentBySource } from "./store.ts";

/**
 * The schedule of a policy's current version as PDF (`cyberpolis documents schedule`): the stored
 * one when the collect sweep has made it, else rendered now from the same data, without storing
 * or mailing anything.
 */
export async function currentSchedulePdf(db: Kysely<Database>, ctx: Ctx, policy: string): Promise<Buffer> {
  const found = await findPolicy(db, policy);
  if (!found) throw new NotFoundError("policy", policy);
  const stored = await documentBySource(db, sourceKey.schedule(found.id, found.version));
  if (stored?.pdf) return Buffer.from(stored.pdf);
  const built = await scheduleDoc(db, ctx, found.id, found.version);
  if (!built) throw new NotFoundError("policy schedule", policy);
  return renderDocument(built.content, fonts());
}
