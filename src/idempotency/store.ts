import type { Kysely } from "kysely";
import { holdsAny } from "../db/contains.ts";
import type { Database, Tx } from "../db/schema.ts";
import type { ErasureScope } from "../shared/erasure.ts";
import { AppError } from "../shared/errors.ts";

/**
 * The one writer of `idempotency_keys`: the responses stored per caller and `Idempotency-Key`, so
 * a retried request replays the first answer instead of doing the work twice.
 *
 * Lock rule: the (principal, key) primary key is the lock. `claimKey` inserts it inside the
 * request's transaction, so a concurrent retry waits on that row until the first transaction ends.
 */

/** The request header, lower-case as Node gives it. */
export const IDEMPOTENCY_HEADER = "idempotency-key";

export interface StoredResponse {
  status: number;
  body: unknown;
}

/**
 * Claims the key inside the request's transaction. The primary key makes a concurrent retry wait
 * until the first transaction ends: after a commit it finds the stored response, after a rollback
 * its own insert goes through. Returns the earlier response to replay, or null to go ahead.
 */
export async function claimKey(
  tx: Tx,
  principal: string,
  key: string,
  fingerprint: string,
  now: Date,
): Promise<StoredResponse | null> {
  const inserted = await tx
    .insertInto("idempotency_keys")
    .values({ principal, key, request_hash: fingerprint, status_code: null, response: null, created_at: now })
    .onConflict((oc) => oc.columns(["principal", "key"]).doNothing())
    .returning("key")
    .executeTakeFirst();
  if (inserted) return null;
  const prior = await tx
    .selectFrom("idempotency_keys")
    .select(["request_hash", "status_code", "response"])
    .where("principal", "=", principal)
    .where("key", "=", key)
    .executeTakeFirstOrThrow();
  if (prior.request_hash !== fingerprint || prior.status_code === null) {
    throw new AppError(
      "idempotency_key_reused",
      "this Idempotency-Key was used for a different request; use a new key for a new request",
      [{ path: IDEMPOTENCY_HEADER, message: "already used for a different request" }],
    );
  }
  return { status: prior.status_code, body: prior.response };
}

export async function storeResponse(
  tx: Tx,
  principal: string,
  key: string,
  response: StoredResponse,
): Promise<void> {
  await tx
    .updateTable("idempotency_keys")
    .set({ status_code: response.status, response: JSON.stringify(response.body) })
    .where("principal", "=", principal)
    .where("key", "=", key)
    .execute();
}

/**
 * The HTTP layer's part of erasing a party. The party's own stored responses go: their logins can
 * no longer authenticate, so nothing will be retried under them. A response stored for anyone
 * else (staff who filed a claim or bound a policy for the party) stays, so a retry still replays
 * instead of doing it twice, with the party's identifying values cut out of it. The request hash
 * stays: a one-way fingerprint, it only tells whether a retry is the same request.
 */
export async function eraseIdempotencyPartyData(tx: Tx, scope: ErasureScope): Promise<void> {
  if (scope.userIds.length > 0) {
    await tx
      .deleteFrom("idempotency_keys")
      .where(
        "principal",
        "in",
        scope.userIds.map((id) => `user:${id}`),
      )
      .execute();
  }
  const stored = await tx
    .selectFrom("idempotency_keys")
    .select(["principal", "key", "response"])
    .where(holdsAny("response", scope.identifying, "json"))
    .execute();
  for (const row of stored) {
    await tx
      .updateTable("idempotency_keys")
      .set({ response: JSON.stringify(scope.identifying.json(row.response)) })
      .where("principal", "=", row.principal)
      .where("key", "=", row.key)
      .execute();
  }
}

/** Keys older than `before` go: a week is long enough for any client's retries. */
export async function purgeIdempotencyKeys(db: Kysely<Database>, before: Date): Promise<void> {
  await db.deleteFrom("idempotency_keys").where("created_at", "<", before).execute();
}
