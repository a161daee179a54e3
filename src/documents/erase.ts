import type { Tx } from "../db/schema.ts";
import type { ErasureScope } from "../shared/erasure.ts";
import type { DocContent } from "./model.ts";
import { deliveriesOf, documentsOfParty, eraseDocument, redactDelivery } from "./store.ts";

/**
 * The documents module's part of erasing a party. A PDF can't be redacted, so it goes; the
 * content keeps its wording with the party's values cut out (and the recipient replaced by the
 * pseudonym), and the sha256 stays as proof of what was sent. Deliveries keep their dates, status
 * and Message-ID, addressed to the pseudonym.
 */
export async function eraseDocumentsPartyData(tx: Tx, scope: ErasureScope): Promise<void> {
  const docs = await documentsOfParty(tx, scope.partyId);
  for (const d of docs) {
    const content = scope.own.json(d.content) as DocContent;
    if (content.layout === "letter") content.recipient = scope.alias;
    await eraseDocument(tx, d.id, content, scope.now);
  }
  const deliveries = await deliveriesOf(
    tx,
    docs.map((d) => d.id),
  );
  for (const x of deliveries) {
    await redactDelivery(tx, x.id, scope.alias, x.last_error === null ? null : scope.own.text(x.last_error));
  }
}
