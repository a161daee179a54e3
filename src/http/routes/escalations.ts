import { z } from "zod";
import { acknowledgeBreach, openEscalations } from "../../assistance/index.ts";
import type { Role } from "../../identity/index.ts";
import type { Router } from "../router.ts";
import { pageQuery, uuid } from "../schemas.ts";

/** Escalations go to the helpline's supervisors (service-rules.md: a breach escalates to them). */
const SUPERVISORS: readonly Role[] = ["helpline_supervisor", "admin"];

const escalation = z.object({
  id: z.number().int(),
  caseId: uuid,
  caseNumber: z.string(),
  category: z.string(),
  priority: z.string(),
  status: z.string(),
  target: z.enum(["first_response", "resolution"]),
  dueAt: z.string(),
  recordedAt: z.string(),
  escalatedTo: z.string(),
});

export function registerEscalationRoutes(r: Router) {
  r.route({
    method: "GET",
    url: "/escalations",
    summary: "Breached helpline targets not yet acknowledged, oldest first",
    tags: ["helpline"],
    roles: SUPERVISORS,
    query: pageQuery,
    response: z.object({ items: z.array(escalation) }),
    handler: async ({ tx, query }) => {
      const rows = await openEscalations(tx, query);
      return {
        items: rows.map((b) => ({
          id: b.id,
          caseId: b.case_id,
          caseNumber: b.number,
          category: b.category,
          priority: b.priority,
          status: b.status,
          target: b.target,
          dueAt: b.due_at.toISOString(),
          recordedAt: b.recorded_at.toISOString(),
          escalatedTo: b.escalated_to,
        })),
      };
    },
  });

  r.route({
    method: "POST",
    url: "/escalations/:id/acknowledge",
    summary: "A supervisor takes an escalation on",
    tags: ["helpline"],
    roles: SUPERVISORS,
    params: z
      .object({
        id: z.coerce
          .number()
          .int()
          .positive()
          .max(2 ** 53 - 1),
      })
      .strict(),
    response: z.object({ id: z.number().int(), acknowledgedAt: z.string() }),
    handler: async ({ tx, ctx, params }) => {
      const row = await acknowledgeBreach(tx, ctx, params.id);
      return { id: row.id, acknowledgedAt: (row.acknowledged_at ?? ctx.now).toISOString() };
    },
  });
}
