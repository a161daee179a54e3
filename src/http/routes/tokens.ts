import { z } from "zod";
import {
  ALL_ROLES,
  type ApiTokenView,
  createApiToken,
  listApiTokens,
  revokeApiToken,
  userExists,
} from "../../identity/index.ts";
import { NotFoundError } from "../../shared/errors.ts";
import type { Router } from "../router.ts";
import { idParams } from "../schemas.ts";

const tokenView = z
  .object({
    id: z.string(),
    label: z.string(),
    createdAt: z.string(),
    /** To the minute; null until first used. */
    lastUsedAt: z.string().nullable(),
    expiresAt: z.string(),
    revokedAt: z.string().nullable(),
  })
  .meta({ id: "ApiToken" });

const tokenList = z.object({ items: z.array(tokenView) });

function viewToken(t: ApiTokenView): z.output<typeof tokenView> {
  return {
    id: t.id,
    label: t.label,
    createdAt: t.createdAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    expiresAt: t.expiresAt.toISOString(),
    revokedAt: t.revokedAt?.toISOString() ?? null,
  };
}

/** Bearer tokens: create (the secret shown once), list and revoke; admins list and revoke anyone's. */
export function registerTokenRoutes(r: Router) {
  const lifetime = r.deps.config.tokenLifetime;
  const tokenBody = z
    .object({
      label: z.string().trim().min(1).max(100),
      // The upper bound is the configured maximum, checked by the service with a message naming it.
      expiresInDays: z.number().int().min(1).optional(),
    })
    .strict();
  r.route({
    method: "POST",
    url: "/auth/tokens",
    summary: `Create a bearer token for an API client (shown once); it expires after expiresInDays (default ${lifetime.defaultDays}, at most ${lifetime.maxDays})`,
    tags: ["auth"],
    roles: ALL_ROLES,
    status: 201,
    body: tokenBody,
    response: z.object({ id: z.string(), label: z.string(), token: z.string(), expiresAt: z.string() }),
    handler: async ({ tx, ctx, principal, body }) => {
      const t = await createApiToken(tx, ctx, {
        userId: principal.userId,
        label: body.label,
        ...(body.expiresInDays === undefined ? {} : { expiresInDays: body.expiresInDays }),
        lifetime,
      });
      return { id: t.id, label: t.label, token: t.token, expiresAt: t.expires_at.toISOString() };
    },
  });

  r.route({
    method: "GET",
    url: "/auth/tokens",
    summary: "The caller's bearer tokens, newest first (never their secrets)",
    tags: ["auth"],
    roles: ALL_ROLES,
    response: tokenList,
    handler: async ({ tx, principal }) => ({
      items: (await listApiTokens(tx, principal.userId)).map(viewToken),
    }),
  });

  r.route({
    method: "POST",
    url: "/auth/tokens/:id/revocation",
    summary:
      "Revoke a bearer token: your own, or anyone's for an admin; every API process refuses it within 1 s",
    tags: ["auth"],
    roles: ALL_ROLES,
    params: idParams,
    body: z.object({}).strict().nullish(),
    response: tokenView,
    handler: async ({ tx, ctx, principal, params }) =>
      viewToken(await revokeApiToken(tx, ctx, { tokenId: params.id, by: principal })),
  });

  r.route({
    method: "GET",
    url: "/admin/users/:id/tokens",
    summary: "A user's bearer tokens, newest first (never their secrets)",
    tags: ["auth"],
    roles: ["admin"],
    params: idParams,
    response: tokenList,
    handler: async ({ tx, params }) => {
      if (!(await userExists(tx, params.id))) throw new NotFoundError("user", params.id);
      return { items: (await listApiTokens(tx, params.id)).map(viewToken) };
    },
  });
}
