import { z } from "zod";
import { erasePersonalData } from "../../flows/erase-party.ts";
import { exportHousehold } from "../../flows/export-party.ts";
import { AppError } from "../../shared/errors.ts";
import type { Router } from "../router.ts";
import { emptyBody, idParams, uuid } from "../schemas.ts";

const exportView = z
  .object({
    exportedAt: z.string(),
    subject: z.object({ partyId: uuid }),
    data: z.record(z.string(), z.array(z.record(z.string(), z.unknown()))),
  })
  .meta({ id: "PersonalDataExport" });

export function registerGdprRoutes(r: Router) {
  r.route({
    method: "GET",
    url: "/me/personal-data",
    summary: "Download all personal data the insurer holds about you and your household (JSON)",
    tags: ["privacy"],
    roles: ["policyholder"],
    rateLimit: "exports",
    response: exportView,
    handler: async ({ tx, ctx, principal, reply }) => {
      if (!principal.partyId) throw new AppError("forbidden", "only a policyholder has personal data here");
      reply.header("content-disposition", 'attachment; filename="cyberpolis-personal-data.json"');
      return exportHousehold(tx, ctx, { partyId: principal.partyId });
    },
  });

  r.route({
    method: "GET",
    url: "/admin/parties/:id/personal-data",
    summary: "A policyholder's personal data, for a subject access request that reached the insurer",
    tags: ["privacy"],
    roles: ["admin"],
    rateLimit: "exports",
    params: idParams,
    response: exportView,
    handler: async ({ tx, ctx, params }) => exportHousehold(tx, ctx, { partyId: params.id }),
  });

  r.route({
    method: "POST",
    url: "/admin/parties/:id/erasure",
    summary:
      "Erase a former policyholder's personal data (no policy may still run); financial records stay, pseudonymised",
    tags: ["privacy"],
    roles: ["admin"],
    idempotent: true,
    params: idParams,
    body: emptyBody.nullish(),
    response: z.object({
      partyId: uuid,
      pseudonym: z.string(),
      erasedAt: z.string(),
      policies: z.array(z.string()),
    }),
    handler: async ({ tx, ctx, params }) => {
      const e = await erasePersonalData(tx, ctx, { partyId: params.id });
      return { ...e, erasedAt: e.erasedAt.toISOString() };
    },
  });
}
