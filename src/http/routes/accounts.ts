import type { FastifyRequest } from "fastify";
import { z } from "zod";
import type { Tx } from "../../db/schema.ts";
import { inTransaction } from "../../db/transaction.ts";
import { signUpByEmail } from "../../flows/accounts.ts";
import {
  type AccountMail,
  type LinkSettings,
  requestPasswordReset,
  setPasswordWithLink,
  verifyEmail,
} from "../../identity/index.ts";
import type { Ctx } from "../../shared/context.ts";
import { askedLanguage } from "../language.ts";
import { type Router, runAfterCommit } from "../router.ts";

/** What an anonymous caller learns from a sign-up or reset request: never whether an account exists. */
const accepted = z.object({ status: z.literal("check_your_email") });

const email = z.email().max(254);
/** The policy (length, common passwords) is checked by the service, with a message naming it. */
const password = z.string().min(1).max(1024);
const token = z.string().min(16).max(200);

export function linkSettings(r: Router): LinkSettings {
  return { publicUrl: r.deps.config.publicUrl, lifetimes: r.deps.config.linkLifetimes };
}

/**
 * The public account routes (no login): sign-up, verification, reset request and setting a
 * password with a link. Each is limited per client address like the login, runs in one
 * transaction and sends its mail only once that transaction committed.
 */
function publicPost<B, R>(
  r: Router,
  spec: {
    url: string;
    summary: string;
    status: 200 | 202;
    body: z.ZodType<B>;
    response: z.ZodType<R>;
    work: (
      tx: Tx,
      ctx: Ctx,
      body: B,
      request: FastifyRequest,
    ) => Promise<{ answer: R; mail: AccountMail | null }>;
  },
) {
  const { deps } = r;
  r.app.route({
    method: "POST",
    url: `/api${spec.url}`,
    config: {
      rateLimit: { max: deps.config.loginRateLimit.max, timeWindow: deps.config.loginRateLimit.windowMs },
    },
    schema: r.schemaFor({
      ...spec,
      tags: ["auth"],
      description: "Public (no login): limited per client address like the login.",
      secured: false,
    }),
    handler: async (request, reply) => {
      const ctx = r.ctxFor(request, null);
      const { answer, mail } = await inTransaction(deps.db, (tx) =>
        spec.work(tx, ctx, request.body as B, request),
      );
      const mailer = deps.mailer;
      if (mail && mailer) await runAfterCommit(request, [() => mailer(mail)]);
      return reply.code(spec.status).send(answer);
    },
  });
}

export function registerAccountRoutes(r: Router) {
  const links = linkSettings(r);
  publicPost(r, {
    url: "/auth/sign-up",
    summary:
      "Sign up as a policyholder with the e-mail address of your policy; a verification link is mailed (always 202)",
    status: 202,
    body: z.object({ email, password }).strict(),
    response: accepted,
    work: async (tx, ctx, body) => ({
      answer: { status: "check_your_email" as const },
      mail: await signUpByEmail(tx, ctx, { ...body, links }),
    }),
  });
  publicPost(r, {
    url: "/auth/email-verification",
    summary: "Confirm an e-mail address with the token of the mailed link; the login can then log in",
    status: 200,
    body: z.object({ token }).strict(),
    response: z.object({ verified: z.literal(true) }),
    work: async (tx, ctx, body) => {
      await verifyEmail(tx, ctx, body);
      return { answer: { verified: true as const }, mail: null };
    },
  });
  publicPost(r, {
    url: "/auth/password-reset",
    summary: "Ask for a password reset link by e-mail (always 202); the link works once, for one hour",
    status: 202,
    body: z.object({ email }).strict(),
    response: accepted,
    work: async (tx, ctx, body, request) => ({
      answer: { status: "check_your_email" as const },
      mail: await requestPasswordReset(tx, ctx, {
        email: body.email,
        language: askedLanguage(request) ?? "nl",
        links,
      }),
    }),
  });
  publicPost(r, {
    url: "/auth/password",
    summary:
      "Choose a password with the token of a reset or invitation link; every session of the login ends",
    status: 200,
    body: z.object({ token, password }).strict(),
    response: z.object({ passwordSet: z.literal(true) }),
    work: async (tx, ctx, body) => {
      await setPasswordWithLink(tx, ctx, body);
      return { answer: { passwordSet: true as const }, mail: null };
    },
  });
}
