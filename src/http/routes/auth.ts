import { z } from "zod";
import { ALL_ROLES, login, logout, type Principal, revokePresentedToken } from "../../identity/index.ts";
import { AppError } from "../../shared/errors.ts";
import { bearerToken, sessionToken } from "../auth.ts";
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
      const result = await deps.db.transaction().execute((tx) =>
        login(tx, ctx, {
          ...body,
          ttlSeconds: deps.config.sessionTtlSeconds,
          backoff: deps.config.loginBackoff,
        }),
      );
      // Thrown after the commit: the failure just recorded must outlive this request.
      if (!result.ok && result.code === "throttled") {
        reply.header("retry-after", String(result.retryAfterSeconds));
        throw new AppError(
          "rate_limited",
          `too many failed logins for this address; try again in ${result.retryAfterSeconds} s`,
        );
      }
      if (!result.ok) throw new AppError("invalid_credentials", "email or password is wrong");
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
    summary: "End the cookie session, or revoke the bearer token this request presents",
    tags: ["auth"],
    roles: ALL_ROLES,
    body: z.object({}).strict().nullish(),
    response: z.object({ loggedOut: z.boolean() }),
    handler: async ({ tx, ctx, principal, request, reply }) => {
      const bearer = principal.via === "token" ? bearerToken(request) : null;
      const revoked = bearer !== null && (await revokePresentedToken(tx, ctx, bearer));
      const session = sessionToken(request);
      if (session) await logout(tx, session);
      reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return { loggedOut: revoked || session !== null };
    },
  });
}
