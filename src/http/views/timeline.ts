import { z } from "zod";
import { auditTrail } from "../../audit/index.ts";
import type { Tx } from "../../db/schema.ts";
import type { Principal } from "../../identity/index.ts";
import { formatAmount } from "../../shared/money.ts";

type Detail = string | number | boolean | null;

export const timelineEntry = z
  .object({
    at: z.string().describe("when it was recorded (ISO instant)"),
    event: z.string(),
    entityType: z.string(),
    entityId: z.string(),
    by: z.enum(["you", "staff", "system"]),
    details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  })
  .meta({ id: "TimelineEntry" });

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === "object" ? (v as Obj) : {});
const str = (v: unknown): Detail => (typeof v === "string" || typeof v === "number" ? String(v) : null);
const amount = (v: unknown): Detail =>
  typeof v === "number" || typeof v === "string" ? formatAmount(Number(v)) : null;

/**
 * The timeline shows chosen facts of each audit entry, never the raw before/after images,
 * which hold internal columns and (for some entries) personal data of other parties.
 */
const DETAILS: Record<string, (after: Obj) => Record<string, Detail>> = {
  "policy.bound": (a) => ({
    number: str(a.number),
    household: str(a.household),
    startDate: str(a.start_date),
  }),
  "mandate.registered": (a) => ({
    reference: str(a.reference),
    iban: str(a.iban),
    signedOn: str(a.signedOn),
  }),
  "policy.household_changed": (a) => ({ household: str(a.household), effectiveDate: str(a.effective_date) }),
  "policy.cancelled": (a) => ({ effective: str(a.effective), refund: amount(a.refund) }),
  "claim.filed": (a) => ({ number: str(a.number), peril: str(a.peril), incidentDate: str(a.incident_date) }),
  "claim.facts_supplied": () => ({}),
  "claim.decided": (a) => ({ outcome: str(a.status), payout: amount(a.payout) }),
  "claim.overridden": (a) => ({ outcome: str(a.status), payout: amount(a.payout) }),
  "claim.evidence_added": (a) => ({ kind: str(a.kind), fileName: str(a.fileName) }),
  "premium.reminder_recorded": (a) => {
    const r = obj(a.reminder);
    return { notice: str(r.notice_kind), dueDate: str(r.due_date), noticeDate: str(r.reminder_date) };
  },
  "premium.payment_recorded": (a) => ({ receivedOn: str(obj(a.payment).received_on) }),
};

export async function policyTimeline(tx: Tx, principal: Principal, policyId: string) {
  const rows = await auditTrail(tx, { policyId });
  return rows.map((r) => ({
    at: new Date(r.at).toISOString(),
    event: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    by:
      r.actor === `user:${principal.userId}`
        ? ("you" as const)
        : r.actor.startsWith("user:")
          ? ("staff" as const)
          : ("system" as const),
    details: DETAILS[r.action]?.(obj(r.after)) ?? {},
  }));
}
