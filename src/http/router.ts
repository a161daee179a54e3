import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema } from "fastify";
import type { Redis } from "ioredis";
import type { Kysely } from "kysely";
import { z } from "zod";
import type { Database, Tx } from "../db/schema.ts";
import { inTransaction } from "../db/transaction.ts";
import { claimKey, storeResponse } from "../idempotency/index.ts";
import type { Mailer, Principal, Role } from "../identity/index.ts";
import type { PoolStats } from "../metrics/index.ts";
import type { Catalog } from "../products/index.ts";
import type { Ctx } from "../shared/context.ts";
import { authenticate, authorize } from "./auth.ts";
import type { HttpConfig } from "./config.ts";
import { IDEMPOTENCY_HEADER } from "./config.ts";
import { idempotencyKey, requestFingerprint } from "./idempotency.ts";
import { problemSchema } from "./problem.ts";
import { Limiters, type RateClass } from "./rate-limits.ts";

export interface Deps {
  db: Kysely<Database>;
  catalog: Catalog;
  config: HttpConfig;
  /** Injected so tests can pin "today"; the server passes `() => new Date()`. */
  clock: () => Date;
  /** Delivers account e-mails; default: logged (src/http/mailer.ts). */
  mailer?: Mailer;
  /**
   * Rate-limit windows shared by every API process (REDIS_URL); without it each process counts
   * in memory on its own, which is right for one process only.
   */
  redis?: Redis;
  /** The database pool's counters for /metrics (PostgreSQL); absent on the embedded database. */
  pool?: () => PoolStats;
  /**
   * On the embedded database, the secret the CLI beside the server presents (local-cli.ts): it
   * acts with the finance role. Null on PostgreSQL, where the CLI opens the database itself.
   */
  localCliToken?: string | null;
  /** Where finance operations write bank files (BANK_DIR). */
  bankDir?: string;
  /** A PostgreSQL pool (not the embedded database): a billing run holds its lock on a connection. */
  pooled?: boolean;
}

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** What a handler gets: the request's one transaction, its Ctx and the checked caller. */
export interface Call<B, P, Q> {
  tx: Tx;
  /**
   * The database itself, for a route declared `transaction: "own"` (a billing run, a bank import):
   * the operation opens its own transactions and is idempotent by its natural keys.
   */
  db: Kysely<Database>;
  /** Where finance operations write bank files. */
  bankDir: string;
  ctx: Ctx;
  principal: Principal;
  body: B;
  params: P;
  query: Q;
  request: FastifyRequest;
  reply: FastifyReply;
  /** Runs once the request's transaction committed (a mail to send); never on a rollback. */
  afterCommit: (fn: () => Promise<void>) => void;
}

export interface RouteSpec<B, P, Q, R> {
  method: Method;
  /** Path below /api, e.g. "/policies/:id". */
  url: string;
  summary: string;
  tags: string[];
  /** Who may call; every authenticated route names its roles, there is no default. */
  roles: readonly Role[];
  /** Accepts an Idempotency-Key: a retry replays the first response. */
  idempotent?: boolean;
  /** A heavy route's own, smaller budget per principal, on top of the general one. */
  rateLimit?: RateClass;
  /**
   * false: a pure computation that reads no table (a quote): no BEGIN/COMMIT round trips.
   * "own": a batch operation that runs its own transactions (`call.db`); no Idempotency-Key,
   * the operation is idempotent by its natural keys (run date, file hash).
   */
  transaction?: false | "own";
  status?: 200 | 201;
  body?: z.ZodType<B>;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  response: z.ZodType<R>;
  handler: (call: Call<B, P, Q>) => Promise<R>;
}

declare module "fastify" {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

const idempotencyHeaders = z.looseObject({
  [IDEMPOTENCY_HEADER]: z
    .string()
    .optional()
    .describe("Any unique string (a UUID); a retry with the same key and body replays the first response"),
});

/** Registers API routes under /api with authentication, roles, validation, one transaction and idempotency. */
export class Router {
  readonly limiters: Limiters;

  constructor(
    readonly app: FastifyInstance,
    readonly deps: Deps,
    limiters?: Limiters,
  ) {
    this.limiters = limiters ?? new Limiters(app, deps.config.rateLimits);
  }

  /** A router for a child context (own parsers) that shares this one's rate-limit budgets. */
  child(app: FastifyInstance): Router {
    return new Router(app, this.deps, this.limiters);
  }

  ctxFor(request: FastifyRequest, principal: Principal | null): Ctx {
    return {
      actor: principal ? `user:${principal.userId}` : "anonymous",
      now: this.deps.clock(),
      catalog: this.deps.catalog,
      requestId: request.id,
    };
  }

  schemaFor(spec: {
    summary: string;
    tags: string[];
    status?: number;
    body?: z.ZodType;
    params?: z.ZodType;
    query?: z.ZodType;
    response: z.ZodType;
    description?: string;
    idempotent?: boolean;
    secured: boolean;
  }): FastifySchema {
    return {
      summary: spec.summary,
      tags: spec.tags,
      ...(spec.description ? { description: spec.description } : {}),
      ...(spec.secured ? { security: [{ session: [] }, { bearer: [] }] } : { security: [] }),
      ...(spec.body ? { body: spec.body } : {}),
      ...(spec.params ? { params: spec.params } : {}),
      ...(spec.query ? { querystring: spec.query } : {}),
      ...(spec.idempotent ? { headers: idempotencyHeaders } : {}),
      response: { [spec.status ?? 200]: spec.response, "4XX": problemSchema, "5XX": problemSchema },
    };
  }

  route<B = undefined, P = undefined, Q = undefined, R = unknown>(spec: RouteSpec<B, P, Q, R>): void {
    const { deps } = this;
    const status = spec.status ?? 200;
    const rolesText = `Roles: ${spec.roles.join(", ")}.${spec.idempotent ? " Accepts an Idempotency-Key header." : ""}`;
    this.app.route({
      method: spec.method,
      url: `/api${spec.url}`,
      schema: this.schemaFor({ ...spec, description: rolesText, secured: true }),
      // Limited below, per principal: the plugin's per-address hook is for anonymous routes.
      config: { rateLimit: false },
      // Before validation, so an anonymous caller learns nothing about a route's schema. The
      // limit is counted once the caller is known and before the roles are checked, so failed
      // attempts spend a budget too (the address's, when there is no principal).
      preValidation: async (request, reply) => {
        request.principal = await authenticate(deps.db, request, deps.clock(), deps.localCliToken ?? null);
        // Every later line of this request, "request completed" included, names the caller.
        if (request.principal) bindUser(request, request.principal.userId);
        await this.limiters.enforce(request, reply, spec.rateLimit);
        request.principal = authorize(request, request.principal, spec.roles);
      },
      handler: async (request, reply) => {
        const principal = request.principal!;
        const key = spec.idempotent ? idempotencyKey(request) : null;
        const owner = `user:${principal.userId}`;
        let committed: (() => Promise<void>)[] = [];
        const work = async (tx: Tx) => {
          // A retried transaction starts over: what the failed attempt queued is dropped.
          committed = [];
          if (key) {
            const prior = await claimKey(tx, owner, key, requestFingerprint(request), deps.clock());
            if (prior) return { ...prior, replayed: true };
          }
          // The validator compiler has parsed each part with the zod schema given for it.
          const body = await spec.handler({
            tx,
            db: deps.db,
            bankDir: deps.bankDir ?? "./data/bank",
            ctx: this.ctxFor(request, principal),
            principal,
            body: request.body as B,
            params: request.params as P,
            query: request.query as Q,
            request,
            reply,
            afterCommit: (fn) => committed.push(fn),
          });
          if (key) await storeResponse(tx, owner, key, { status, body });
          return { status, body: body as unknown, replayed: false };
        };
        // A route that reads no table and stores no key needs no transaction round trips.
        const result =
          (spec.transaction === false || spec.transaction === "own") && !key
            ? await work(deps.db)
            : await inTransaction(deps.db, work, {
                onRetry: (attempt, e) =>
                  request.log.warn({ attempt, code: (e as { code?: string }).code }, "transaction retried"),
              });
        await runAfterCommit(request, committed);
        if (result.replayed) reply.header("idempotent-replayed", "true");
        // A conditional GET the handler answered "not modified" (a document's ETag) keeps its 304.
        if (reply.statusCode === 304) return reply.send();
        return reply.code(result.status).send(result.body);
      },
    });
  }
}

/** After-commit work fails alone: the change is made, so the answer stays a success; it is logged. */
export async function runAfterCommit(request: FastifyRequest, fns: (() => Promise<void>)[]) {
  for (const fn of fns) {
    try {
      await fn();
    } catch (e) {
      request.log.error({ err: e }, "after-commit work failed");
    }
  }
}

/**
 * Adds the caller to the request's logger. Fastify gives the request and its reply one child
 * logger, so pino's setBindings reaches the "request completed" line too.
 */
export function bindUser(request: FastifyRequest, userId: string): void {
  const log = request.log as FastifyRequest["log"] & { setBindings?: (b: Record<string, unknown>) => void };
  log.setBindings?.({ userId });
}
