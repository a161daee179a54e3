import { randomUUID } from "node:crypto";
import cookie from "@fastify/cookie";
import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyInstance, type FastifySchemaCompiler } from "fastify";
import {
  createJsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
} from "fastify-type-provider-zod";
import type { DestinationStream } from "pino";
import type { z } from "zod";
import { pingDatabase } from "../db/connection.ts";
import { mailConfigFromEnv } from "../documents/index.ts";
import { ValidationError } from "../shared/errors.ts";
import { LOG_REDACT } from "./logging.ts";
import { logMailer, smtpMailer } from "./mailer.ts";
import { registerObservability } from "./observability.ts";
import { handleError, problem, sendProblem } from "./problem.ts";
import { rateKey, rateLimited } from "./rate-limits.ts";
import { WindowStore } from "./rate-store.ts";
import { type Deps, Router } from "./router.ts";
import { registerAccountRoutes } from "./routes/accounts.ts";
import { registerAssistanceRoutes } from "./routes/assistance.ts";
import { registerAuthRoutes } from "./routes/auth.ts";
import { registerBillingRoutes } from "./routes/billing.ts";
import { registerClaimRoutes } from "./routes/claims.ts";
import { registerDocumentRoutes } from "./routes/documents.ts";
import { registerEvidenceRoutes } from "./routes/evidence.ts";
import { registerFinanceRoutes } from "./routes/finance.ts";
import { registerGdprRoutes } from "./routes/gdpr.ts";
import { registerPolicyRoutes } from "./routes/policies.ts";
import { registerPolicyChangeRoutes } from "./routes/policy-changes.ts";
import { registerProductRoutes } from "./routes/products.ts";
import { registerQuoteRoutes } from "./routes/quotes.ts";
import { registerRiskToolRoutes } from "./routes/risk-tool.ts";
import { registerStaffRoutes } from "./routes/staff.ts";
import { registerTokenRoutes } from "./routes/tokens.ts";
import { registerUserRoutes } from "./routes/users.ts";
import { unstorableText } from "./schemas.ts";
import { securityHeaders } from "./security-headers.ts";

/** Resources register themselves here; part 2 adds claims, staff and GDPR. */
const RESOURCES: ((r: Router) => void)[] = [
  registerAuthRoutes,
  registerTokenRoutes,
  registerProductRoutes,
  registerQuoteRoutes,
  registerPolicyRoutes,
  registerPolicyChangeRoutes,
  registerClaimRoutes,
  registerEvidenceRoutes,
  registerStaffRoutes,
  registerGdprRoutes,
  registerBillingRoutes,
  registerDocumentRoutes,
  registerFinanceRoutes,
  registerAccountRoutes,
  registerUserRoutes,
  registerAssistanceRoutes,
  registerRiskToolRoutes,
];

/**
 * zod parses each request part; issues name the field ("party.name", "mandate.iban"). Text the
 * database cannot store is refused here, once for every route, instead of failing in SQL as a 500.
 */
const validatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema, httpPart }) =>
  (data) => {
    const result = schema.safeParse(data);
    if (result.success) {
      const unstorable = unstorableText(result.data).map((i) => ({
        ...i,
        path: i.path || (httpPart ?? "body"),
      }));
      return unstorable.length > 0 ? { error: new ValidationError(unstorable) } : { value: result.data };
    }
    const issues = result.error.issues.map((i) => ({
      path: i.path.length > 0 ? i.path.map(String).join(".") : (httpPart ?? "body"),
      message: i.message,
    }));
    return { error: new ValidationError(issues) };
  };

/** Helmet's defaults; local HTTP must keep working, so the CSP does not force HTTPS sub-resources. */
const SECURITY_HEADERS = securityHeaders({
  contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
});

/** A hop count as proxy-addr reads one (the n nearest hops are proxies); Fastify's types lack it. */
function trustProxyOption(v: boolean | number | string) {
  return typeof v === "number" ? (_address: string, hop: number) => hop < v : v;
}

/** `logStream` lets a test read the log lines; the server logs to stdout. */
export async function buildApp(
  deps: Deps,
  opts: { logStream?: DestinationStream } = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: deps.config.logLevel,
      redact: { paths: LOG_REDACT, censor: "[redacted]" },
      ...(opts.logStream ? { stream: opts.logStream } : {}),
    },
    // Our own ids, never a client's: the id is what an operator greps the logs for.
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    bodyLimit: deps.config.bodyLimit,
    // Behind a proxy the client's address (rate limits, logs) comes from X-Forwarded-For.
    trustProxy: trustProxyOption(deps.config.trustProxy),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, problem(request, "route_not_found", `no route ${request.method} ${request.url}`)),
  );
  app.decorateRequest("principal", null);
  app.addHook("onRequest", (request, reply, done) => {
    reply.header("x-request-id", request.id);
    // On the raw response, as helmet does: a route's own header (the /docs CSP) overrides them.
    for (const [name, value] of SECURITY_HEADERS) reply.raw.setHeader(name, value);
    // API answers are a caller's own data (and the login's CSRF token): no browser or proxy keeps them.
    if (request.url.startsWith("/api/")) reply.header("cache-control", "no-store");
    done();
  });
  await app.register(cookie, { secret: deps.config.sessionSecret });
  // Global: the anonymous routes (health, OpenAPI, docs) per address; API routes opt out and
  // are limited per principal by the router; login has its own, smaller budget.
  await app.register(rateLimit, {
    global: true,
    max: deps.config.rateLimits.general.max,
    timeWindow: deps.config.rateLimits.general.windowMs,
    keyGenerator: rateKey,
    // Redis: one window per key for every API process (the login limit holds across instances).
    // Should Redis fail, requests pass rather than all answer 500; the per-account login
    // backoff (in the database) still holds.
    ...(deps.redis
      ? { redis: deps.redis, nameSpace: "cyberpolis:rate:", skipOnError: true }
      : { store: WindowStore }),
    errorResponseBuilder: (_request, context) => rateLimited(Math.ceil(context.ttl / 1000)),
  });
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "cyberpolis API",
        version: "0.1.0",
        description:
          'Consumer cyber insurance. Money is a decimal euro string ("12.34"), dates are YYYY-MM-DD. ' +
          "Errors are RFC 9457 problem+json with a stable `code`.",
      },
      components: {
        securitySchemes: {
          session: { type: "apiKey", in: "cookie", name: "cp_session" },
          bearer: { type: "http", scheme: "bearer" },
        },
      },
    },
    transform: createJsonSchemaTransform({
      skipList: ["/openapi.json", "/health", "/health/live", "/health/ready", "/metrics"],
    }),
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, {
    routePrefix: "/docs",
    staticCSP: true,
    // Local HTTP must keep working, so the docs' CSP does not force HTTPS for sub-resources.
    transformStaticCSP: (header) => header.replace("upgrade-insecure-requests;", ""),
  });

  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  app.get("/health", { schema: { hide: true } }, async (_request, reply) => {
    await pingDatabase(deps.db);
    return reply.send({ status: "ok" });
  });

  await registerObservability(app, deps);

  // Account mails go over SMTP when SMTP_URL is set (the letters' transport), else to the log.
  const smtp = deps.mailer ? null : mailConfigFromEnv();
  const mailer =
    deps.mailer ?? (smtp ? smtpMailer(smtp, app.log) : logMailer(app.log, deps.config.mailLinkLogLevel));
  const router = new Router(app, { ...deps, mailer });
  for (const register of RESOURCES) register(router);
  return app;
}
