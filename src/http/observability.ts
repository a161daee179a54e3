import { timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { pingDatabase } from "../db/connection.ts";
import { loadMigrations } from "../db/migrate.ts";
import { isStaff } from "../identity/index.ts";
import { appliedMigrations, createMetrics } from "../metrics/index.ts";
import { AppError } from "../shared/errors.ts";
import { authenticate, bearerToken } from "./auth.ts";
import type { Deps } from "./router.ts";

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * /metrics (Prometheus text), /health/live and /health/ready, and the request-duration histogram.
 * /metrics tells how the business runs, so it is not public: a scraper sends METRICS_TOKEN as a
 * bearer token, or a staff member's session or token is accepted. Health answers carry nothing
 * and are open (load balancers and orchestrators have no credentials).
 */
export async function registerObservability(app: FastifyInstance, deps: Deps): Promise<void> {
  const metrics = createMetrics(deps.db, deps.pool);
  app.addHook("onResponse", async (request, reply) => {
    // The route's pattern, never the raw URL: ids in paths would make a series per claim.
    const route = request.routeOptions.url ?? "unmatched";
    metrics.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });

  const canRead = async (request: FastifyRequest) => {
    const token = bearerToken(request);
    const expected = deps.config.metricsToken;
    if (token && expected && sameSecret(token, expected)) return;
    const principal = await authenticate(deps.db, request, deps.clock());
    if (!principal)
      throw new AppError("unauthenticated", "send METRICS_TOKEN as a bearer token, or log in as staff");
    if (!isStaff(principal.role)) throw new AppError("forbidden", "metrics are for staff");
  };
  app.get("/metrics", { schema: { hide: true } }, async (request, reply) => {
    await canRead(request);
    const body = await metrics.registry.metrics();
    return reply.header("content-type", metrics.registry.contentType).send(body);
  });

  app.get("/health/live", { schema: { hide: true } }, async () => ({ status: "ok" }));

  const known = (await loadMigrations()).map((m) => m.name);
  app.get("/health/ready", { schema: { hide: true } }, async (request, reply) => {
    try {
      await pingDatabase(deps.db);
      const applied = await appliedMigrations(deps.db);
      const pending = known.filter((name) => !applied.has(name));
      if (pending.length > 0)
        return reply
          .code(503)
          .send({ status: "not_ready", reason: `migrations pending: ${pending.join(", ")}` });
      return { status: "ready" };
    } catch (e) {
      request.log.warn({ err: e }, "readiness check: database unreachable");
      return reply.code(503).send({ status: "not_ready", reason: "database unreachable" });
    }
  });
}
