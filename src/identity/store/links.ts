import type { Tx } from "../../db/schema.ts";
import type { LinkPurpose } from "../model.ts";

/**
 * The only code on `account_links`. Locking rules: a link is spent by one compare-and-set UPDATE
 * (`used_at is null and expires_at > now`), so of two requests presenting one link at once
 * exactly one gets the row and the other sees it spent. Issuing a new link first spends the
 * user's open links of that purpose, so only the newest mail works.
 */

export async function insertLink(
  tx: Tx,
  l: { tokenHash: string; userId: string; purpose: LinkPurpose; now: Date; expiresAt: Date },
) {
  await tx
    .updateTable("account_links")
    .set({ used_at: l.now })
    .where("user_id", "=", l.userId)
    .where("purpose", "=", l.purpose)
    .where("used_at", "is", null)
    .execute();
  await tx
    .insertInto("account_links")
    .values({
      token_hash: l.tokenHash,
      user_id: l.userId,
      purpose: l.purpose,
      created_at: l.now,
      expires_at: l.expiresAt,
      used_at: null,
    })
    .execute();
}

/** Spends a live link of one of `purposes`; its user id, or undefined when unknown, used or expired. */
export async function spendLink(
  tx: Tx,
  tokenHash: string,
  purposes: readonly LinkPurpose[],
  now: Date,
): Promise<{ user_id: string; purpose: LinkPurpose } | undefined> {
  return tx
    .updateTable("account_links")
    .set({ used_at: now })
    .where("token_hash", "=", tokenHash)
    .where("purpose", "in", purposes)
    .where("used_at", "is", null)
    .where("expires_at", ">", now)
    .returning(["user_id", "purpose"])
    .executeTakeFirst();
}

/** Every open link of these users: a disabled login's or an erased person's mails stop working. */
export async function spendUserLinks(tx: Tx, userIds: readonly string[], now: Date) {
  if (userIds.length === 0) return;
  await tx
    .updateTable("account_links")
    .set({ used_at: now })
    .where("user_id", "in", userIds)
    .where("used_at", "is", null)
    .execute();
}
