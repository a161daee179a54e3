import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { AppError } from "../shared/errors.ts";

/** A fixed window: at most `max` requests per `windowMs` for one key. */
export interface Window {
  max: number;
  windowMs: number;
}

/**
 * Per-principal budgets. `general` is shared by every route (and, keyed by address, by the
 * anonymous ones); the heavy classes have their own, smaller budgets on top of it: one
 * policyholder's exports or uploads must not take the database from everyone else.
 */
export interface RateLimits {
  general: Window;
  exports: Window;
  uploads: Window;
}

export type RateClass = Exclude<keyof RateLimits, "general">;

/** Keys by the authenticated principal; a caller without one is known only by its address. */
export function rateKey(request: FastifyRequest): string {
  return request.principal ? `user:${request.principal.userId}` : `ip:${request.ip}`;
}

/** The 429 every limit answers, as problem+json through the error handler. */
export function rateLimited(retryAfterSeconds: number): AppError {
  return new AppError("rate_limited", `too many requests; try again in ${retryAfterSeconds} s`);
}

type Check = ReturnType<FastifyInstance["createRateLimit"]>;

/**
 * The limiters of the API routes, built once per app on @fastify/rate-limit's store: in memory
 * for one process (src/http/rate-store.ts), or Redis shared by all (REDIS_URL). Each request
 * counts against `general` and, for a heavy route, its class too. The class is part of the key:
 * on Redis the limiters share one key space, and a principal's general and export counts must
 * not be one count.
 */
export class Limiters {
  private readonly checks: Record<keyof RateLimits, Check>;

  constructor(app: FastifyInstance, limits: RateLimits) {
    const make = (name: keyof RateLimits, w: Window) =>
      app.createRateLimit({
        max: w.max,
        timeWindow: w.windowMs,
        keyGenerator: (request) => `${name}:${rateKey(request)}`,
      });
    this.checks = {
      general: make("general", limits.general),
      exports: make("exports", limits.exports),
      uploads: make("uploads", limits.uploads),
    };
  }

  /** Throws rate_limited (429, Retry-After) when the caller has used up a budget. */
  async enforce(request: FastifyRequest, reply: FastifyReply, heavy: RateClass | undefined): Promise<void> {
    for (const name of heavy ? (["general", heavy] as const) : (["general"] as const)) {
      const result = await this.checks[name](request);
      if (result.isAllowed || !result.isExceeded) continue;
      reply.header("retry-after", String(result.ttlInSeconds));
      throw rateLimited(result.ttlInSeconds);
    }
  }
}
