import { z } from "zod";
import { ALL_ROLES } from "../../identity/roles.ts";
import { createApiToken, login, logout, type Principal } from "../../identity/service.ts";
import { sessionToken } from "../auth.ts";
import { SESSION_COOKIE } from "../config.ts";
import type { Router } from "../router.ts";

const userView = z
  .object({
    id: z.string(),
    email: z.string(),
    role: z.enum(ALL_ROLES),
    displayName: z.string(),
    partyId: z.string().nullable(),
  })
  .meta({ id: "User" });

const sessionView = z.object({
  user: userView,
  /** Cookie sessions only: echo in X-CSRF-Token on every POST/PUT/PATCH/DELETE. */
  csrfToken: z.string().nullable(),
});

function viewUser(p: Principal): z.output<typeof userView> {
  return { id: p.userId, email: p.email, role: p.role, displayName: p.displayName, partyId: p.partyId };
}

export function registerAuthRoutes(r: Router) {
  const { deps } = r;
  const loginBody = z
    .object({ email: z.string().min(3).max(254), password: z.string().min(1).max(1024) })
    .strict();
  // The one public API route: rate limited per client address against password guessing.
  r.app.route({
    method: "POST",
    url: "/api/auth/login",
    config: {
      rateLimit: { max: deps.config.loginRateLimit.max, timeWindow: deps.config.loginRateLimit.windowMs },
    },
    schema: r.schemaFor({
      summary: "Log in with email and password; sets the HTTP-only session cookie",
      tags: ["auth"],
      body: loginBody,
      response: sessionView,
      secured: false,
    }),
    handler: async (request, reply) => {
      const body = request.body as z.output<typeof loginBody>;
      const ctx = r.ctxFor(request, null);
      const result = await deps.db
        .transaction()
        .execute((tx) => login(tx, ctx, { ...body, ttlSeconds: deps.config.sessionTtlSeconds }));
      reply.setCookie(SESSION_COOKIE, result.sessionToken, {
        path: "/",
        httpOnly: true,
        secure: deps.config.cookieSecure,
        sameSite: "strict",
        signed: true,
        expires: result.expiresAt,
      });
      return reply.send({ user: viewUser(result.principal), csrfToken: result.principal.csrfToken });
    },
  });

  r.route({
    method: "GET",
    url: "/auth/me",
    summary: "The caller and, for cookie sessions, the CSRF token",
    tags: ["auth"],
    roles: ALL_ROLES,
    response: sessionView,
    handler: async ({ principal }) => ({ user: viewUser(principal), csrfToken: principal.csrfToken }),
  });

  r.route({
    method: "POST",
    url: "/auth/logout",
    summary: "End the cookie session",
    tags: ["auth"],
    roles: ALL_ROLES,
    body: z.object({}).strict().nullish(),
    response: z.object({ loggedOut: z.boolean() }),
    handler: async ({ tx, request, reply }) => {
      const token = sessionToken(request);
      if (token) await logout(tx, token);
      reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return { loggedOut: token !== null };
    },
  });

  const tokenBody = z
    .object({
      label: z.string().trim().min(1).max(100),
      expiresInDays: z.number().int().min(1).max(3650).optional(),
    })
    .strict();
  r.route({
    method: "POST",
    url: "/auth/tokens",
    summary: "Create a bearer token for an API client (shown once)",
    tags: ["auth"],
    roles: ALL_ROLES,
    status: 201,
    body: tokenBody,
    response: z.object({
      id: z.string(),
      label: z.string(),
      token: z.string(),
      expiresAt: z.string().nullable(),
    }),
    handler: async ({ tx, ctx, principal, body }) => {
      const expiresAt = body.expiresInDays
        ? new Date(ctx.now.getTime() + body.expiresInDays * 86_400_000)
        : null;
      const t = await createApiToken(tx, ctx, { userId: principal.userId, label: body.label, expiresAt });
      return { id: t.id, label: t.label, token: t.token, expiresAt: expiresAt?.toISOString() ?? null };
    },
  });
}
