import { createHash } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import {
  DOCUMENT_KINDS,
  type DocumentKind,
  type DocumentMeta,
  deliveriesOf,
  documentMeta,
  documentsOfPolicy,
  documentWithPdf,
  fonts,
  ipidLanguages,
  renderIpid,
} from "../../documents/index.ts";
import { ALL_ROLES, isStaff, type Principal, type Role } from "../../identity/index.ts";
import { AppError, isAppError, NotFoundError } from "../../shared/errors.ts";
import { LANGUAGES } from "../../shared/i18n/index.ts";
import { canSeeParty, visiblePolicy } from "../access.ts";
import type { Router } from "../router.ts";
import { idParams, uuid } from "../schemas.ts";

const productCode = z.string().regex(/^[a-z][a-z0-9-]{0,63}$/);

/**
 * Documents (issue 13): a policy's letters and schedules with their e-mail deliveries, each PDF
 * by id, and a product version's IPID. Downloads carry an ETag from the content hash; a matching
 * If-None-Match answers 304 without the bytes. A policyholder reaches only their own documents
 * (404 otherwise); staff by role: claims staff the claim letters, finance the premium letters.
 */
const STAFF_BY_KIND: Readonly<Record<DocumentKind, readonly Role[]>> = {
  schedule: ["helpline_agent", "claims_handler", "finance", "admin"],
  cancellation_confirmation: ["helpline_agent", "claims_handler", "finance", "admin"],
  claim_decision: ["helpline_agent", "claims_handler", "admin"],
  premium_reminder: ["helpline_agent", "finance", "admin"],
  formal_notice: ["helpline_agent", "finance", "admin"],
  charge_pre_notification: ["helpline_agent", "finance", "admin"],
  charge_payment_request: ["helpline_agent", "finance", "admin"],
  refund_notice: ["helpline_agent", "finance", "admin"],
};

const deliveryView = z.object({
  recipient: z.string(),
  status: z.enum(["pending", "sending", "sent", "refused", "failed"]),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable().describe("when a pending delivery is tried again"),
  lastError: z.string().nullable().describe("the SMTP server's refusal or the connection error"),
  messageId: z.string().nullable(),
  sentAt: z.string().nullable(),
});

const documentView = z
  .object({
    id: uuid,
    kind: z.enum(DOCUMENT_KINDS),
    policyId: uuid,
    claimId: uuid.nullable(),
    language: z.enum(LANGUAGES),
    subject: z.string(),
    sha256: z.string(),
    pages: z.number().int(),
    createdAt: z.string(),
    erased: z.boolean(),
    deliveries: z.array(deliveryView),
  })
  .meta({ id: "Document" });

const pdfResponse = z
  .custom<Buffer>((v) => Buffer.isBuffer(v))
  .meta({ type: "string", format: "binary", description: "the PDF" });

function mayRead(principal: Principal, doc: Pick<DocumentMeta, "party_id" | "kind">): boolean {
  if (!isStaff(principal.role)) return canSeeParty(principal, doc.party_id);
  return STAFF_BY_KIND[doc.kind].includes(principal.role);
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** 304 when the caller holds this version already; else the bytes with their ETag. */
function sendPdf(
  call: { request: FastifyRequest; reply: FastifyReply },
  bytes: Uint8Array,
  hash: string,
  fileName: string,
): Buffer {
  const etag = `"${hash}"`;
  call.reply.header("etag", etag).header("cache-control", "private, no-cache");
  const held = String(call.request.headers["if-none-match"] ?? "")
    .split(",")
    .map((s) => s.trim().replace(/^W\//, ""));
  if (held.includes(etag) || held.includes("*")) {
    call.reply.code(304);
    return Buffer.alloc(0);
  }
  call.reply
    .type("application/pdf")
    .header("content-disposition", `attachment; filename="${fileName}"`)
    .header("x-content-type-options", "nosniff");
  return Buffer.from(bytes);
}

/** The IPID renders the same bytes for the same version and language: rendered once per process. */
const ipidCache = new Map<string, Promise<{ pdf: Buffer; hash: string }>>();

export function registerDocumentRoutes(r: Router) {
  r.route({
    method: "GET",
    url: "/policies/:id/documents",
    summary: "A policy's letters and schedules, with their e-mail deliveries (the outbox)",
    tags: ["documents"],
    roles: ALL_ROLES,
    params: idParams,
    response: z.object({ items: z.array(documentView) }),
    handler: async ({ tx, ctx, principal, params }) => {
      await visiblePolicy(tx, ctx, principal, params.id);
      const docs = (await documentsOfPolicy(tx, params.id)).filter((d) => mayRead(principal, d));
      const deliveries = await deliveriesOf(
        tx,
        docs.map((d) => d.id),
      );
      return {
        items: docs.map((d) => ({
          id: d.id,
          kind: d.kind,
          policyId: d.policy_id,
          claimId: d.claim_id,
          language: d.language,
          subject: d.subject,
          sha256: d.sha256,
          pages: d.pages,
          createdAt: new Date(d.created_at).toISOString(),
          erased: d.erased_at !== null,
          deliveries: deliveries
            .filter((x) => x.document_id === d.id)
            .map((x) => ({
              recipient: x.recipient,
              status: x.status,
              attempts: x.attempts,
              nextAttemptAt: x.status === "pending" ? iso(x.next_attempt_at) : null,
              lastError: x.last_error,
              messageId: x.message_id,
              sentAt: iso(x.sent_at),
            })),
        })),
      };
    },
  });

  r.route({
    method: "GET",
    url: "/documents/:id/pdf",
    summary: "A stored letter or schedule as PDF (ETag: its sha256; If-None-Match answers 304)",
    tags: ["documents"],
    roles: ALL_ROLES,
    params: idParams,
    response: pdfResponse,
    handler: async (call) => {
      const { tx, principal, params } = call;
      const meta = await documentMeta(tx, params.id);
      if (!meta || (!isStaff(principal.role) && !mayRead(principal, meta)))
        throw new NotFoundError("document", params.id);
      if (!mayRead(principal, meta))
        throw new AppError("forbidden", `your role does not read ${meta.kind} documents`);
      const doc = await documentWithPdf(tx, params.id);
      if (!doc?.pdf) throw new NotFoundError("document file", params.id);
      return sendPdf(call, doc.pdf, doc.sha256, `${doc.kind}-${doc.content.date}.pdf`);
    },
  });

  r.route({
    method: "GET",
    url: "/products/:code/versions/:version/ipid",
    summary: "The IPID / Verzekeringskaart of a product version as PDF, in one of its languages",
    tags: ["documents", "products"],
    roles: ALL_ROLES,
    transaction: false,
    params: z.object({ code: productCode, version: z.coerce.number().int().min(1).max(10_000) }).strict(),
    query: z.object({ lang: z.enum(LANGUAGES).optional() }).strict(),
    response: pdfResponse,
    handler: async (call) => {
      const { params, query } = call;
      let product: ReturnType<typeof r.deps.catalog.get>;
      try {
        product = r.deps.catalog.get(params.code, params.version);
      } catch (e) {
        if (isAppError(e)) throw new NotFoundError("product", `${params.code} v${params.version}`);
        throw e;
      }
      const lang =
        query.lang ??
        (ipidLanguages(product).includes(product.languages.default) ? product.languages.default : "nl");
      const key = `${product.code}/${product.version}/${lang}`;
      let cached = ipidCache.get(key);
      if (!cached) {
        cached = renderIpid(product, lang, fonts()).then((pdf) => ({
          pdf,
          hash: createHash("sha256").update(pdf).digest("hex"),
        }));
        ipidCache.set(key, cached);
        cached.catch(() => ipidCache.delete(key));
      }
      const { pdf, hash } = await cached;
      return sendPdf(call, pdf, hash, `ipid-${product.code}-v${product.version}-${lang}.pdf`);
    },
  });
}
