import { assistancePersonalData } from "../assistance/index.ts";
import type { Tx } from "../db/schema.ts";
import { exportPersonalData } from "../parties/index.ts";
import { partyPolicies } from "../policies/index.ts";
import type { Ctx } from "../shared/context.ts";

/**
 * A household's GDPR export (art. 15 and 20): the parties module's export plus the helpline's
 * rows (cases, notes, consents, content removal, risk-tool results). A flow, because the helpline
 * reaches policies and policies reach parties: parties cannot call the helpline itself.
 */
export async function exportHousehold(tx: Tx, ctx: Ctx, input: { partyId: string }) {
  const base = await exportPersonalData(tx, ctx, input);
  const policies = await partyPolicies(tx, input.partyId);
  const helpline = await assistancePersonalData(
    tx,
    input.partyId,
    policies.map((p) => p.id),
  );
  const { history, ...rest } = base.data;
  return { ...base, data: { ...rest, ...helpline, history } };
}
