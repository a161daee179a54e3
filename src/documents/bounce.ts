import { recordAudit } from "../audit/index.ts";
import type { Tx } from "../db/schema.ts";
import type { Ctx } from "../shared/context.ts";
import { NotFoundError, ValidationError } from "../shared/errors.ts";
import { recordBounce } from "./store.ts";

/** Records a bounce reported for a sent letter (`cyberpolis documents bounce`), with its audit entry. */
export async function bounceDelivery(tx: Tx, ctx: Ctx, input: { messageId: string; reason: string }) {
  const reason = input.reason.replace(/\s+/g, " ").trim();
  if (!reason) throw new ValidationError([{ path: "--reason", message: "must say why the letter bounced" }]);
  const bounced = await recordBounce(tx, input.messageId.trim(), reason);
  if (!bounced) throw new NotFoundError("sent letter with Message-ID", input.messageId);
  await recordAudit(tx, ctx, {
    action: "document.bounced",
    entityType: "document",
    entityId: bounced.document_id,
    after: { delivery: bounced.id, reason },
  });
  return bounced;
}
