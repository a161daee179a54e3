import { z } from "zod";
import {
  addEvidence,
  claimsConfig,
  cleanFileName,
  EVIDENCE_KINDS,
  EVIDENCE_TYPES,
  getEvidence,
  listEvidence,
} from "../../claims/index.ts";
import { ALL_ROLES } from "../../identity/index.ts";
import { AppError, NotFoundError } from "../../shared/errors.ts";
import { visibleClaim } from "../access.ts";
import type { Router } from "../router.ts";
import { idParams, uuid } from "../schemas.ts";
import { CLAIM_WRITERS } from "./claims.ts";

const evidenceView = z
  .object({
    id: uuid,
    claimId: uuid,
    kind: z.enum(EVIDENCE_KINDS),
    fileName: z.string(),
    contentType: z.string(),
    sizeBytes: z.number().int(),
    sha256: z.string(),
    uploadedAt: z.string(),
    erased: z.boolean().describe("the file was erased with the policyholder's personal data"),
  })
  .meta({ id: "Evidence" });

interface EvidenceRow {
  id: string;
  claim_id: string;
  kind: (typeof EVIDENCE_KINDS)[number];
  file_name: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  uploaded_at: Date | string;
  erased_at: Date | string | null;
}

function view(e: EvidenceRow): z.infer<typeof evidenceView> {
  return {
    id: e.id,
    claimId: e.claim_id,
    kind: e.kind,
    fileName: e.file_name,
    contentType: e.content_type,
    sizeBytes: e.size_bytes,
    sha256: e.sha256,
    uploadedAt: new Date(e.uploaded_at).toISOString(),
    erased: e.erased_at !== null,
  };
}

/**
 * Content-Disposition for a stored name (RFC 6266): an ASCII fallback and the name itself as
 * UTF-8 (RFC 8187). Names stored before they were cleaned on upload are cleaned here too.
 */
export function attachment(name: string): string {
  const clean = cleanFileName(name) || "evidence";
  const fallback = clean.replace(/[^\x20-\x7e]|["\\%]/g, "_");
  const encoded = encodeURIComponent(clean).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/**
 * Evidence is uploaded as the raw request body (Content-Type: application/pdf, image/png, …),
 * so no multipart parsing and no base64 inflation. The binary parsers and their larger size
 * limit live in a child context: every other route keeps the app's JSON-only, 1 MB body rules.
 */
export function registerEvidenceRoutes(parent: Router) {
  const limits = claimsConfig(parent.deps.config.claims);
  parent.app.register(async (child) => {
    child.addContentTypeParser(
      Object.keys(EVIDENCE_TYPES),
      { parseAs: "buffer", bodyLimit: limits.evidenceMaxBytes },
      (_request, body, done) => done(null, body),
    );
    const r = parent.child(child);
    r.route({
      method: "POST",
      url: "/claims/:id/evidence",
      summary: `Upload evidence for a claim: the file is the request body (${Object.keys(EVIDENCE_TYPES).join(", ")}), at most ${limits.evidenceMaxBytes} bytes`,
      tags: ["claims"],
      roles: CLAIM_WRITERS,
      rateLimit: "uploads",
      status: 201,
      params: idParams,
      query: z
        .object({
          kind: z.enum(EVIDENCE_KINDS),
          fileName: z.string().min(1).max(200).describe("the file's name as the uploader knows it"),
        })
        .strict(),
      response: evidenceView,
      handler: async ({ tx, ctx, principal, params, query, request }) => {
        await visibleClaim(tx, principal, params.id);
        if (!Buffer.isBuffer(request.body))
          throw new AppError(
            "unsupported_media_type",
            `send the file itself as the body, with Content-Type ${Object.keys(EVIDENCE_TYPES).join(", ")}`,
          );
        const { evidence } = await addEvidence(
          tx,
          ctx,
          {
            claimId: params.id,
            kind: query.kind,
            fileName: query.fileName,
            contentType: request.headers["content-type"] ?? "",
            content: request.body,
          },
          { maxBytes: limits.evidenceMaxBytes, quota: limits.evidenceQuota },
        );
        return view(evidence);
      },
    });
  });

  parent.route({
    method: "GET",
    url: "/claims/:id/evidence",
    summary: "The evidence of a claim (metadata)",
    tags: ["claims"],
    roles: ALL_ROLES,
    params: idParams,
    response: z.object({ items: z.array(evidenceView) }),
    handler: async ({ tx, principal, params }) => {
      await visibleClaim(tx, principal, params.id);
      return { items: (await listEvidence(tx, params.id)).map(view) };
    },
  });

  parent.route({
    method: "GET",
    url: "/claims/:id/evidence/:evidenceId",
    summary: "One piece of evidence with its content (base64; null once erased); the file itself: …/content",
    tags: ["claims"],
    roles: ALL_ROLES,
    params: z.object({ id: uuid, evidenceId: uuid }).strict(),
    response: evidenceView.extend({ contentBase64: z.string().nullable() }),
    handler: async ({ tx, principal, params }) => {
      await visibleClaim(tx, principal, params.id);
      const e = await getEvidence(tx, params.id, params.evidenceId);
      return { ...view(e), contentBase64: e.content ? e.content.toString("base64") : null };
    },
  });

  parent.route({
    method: "GET",
    url: "/claims/:id/evidence/:evidenceId/content",
    summary:
      "The evidence file itself, as an attachment with its stored type (404 once erased): browsers save it, never render it",
    tags: ["claims"],
    roles: ALL_ROLES,
    params: z.object({ id: uuid, evidenceId: uuid }).strict(),
    // Fastify sends a Buffer as it is: the schema documents the bytes and is never serialised.
    response: z
      .custom<Buffer>((v) => Buffer.isBuffer(v))
      .meta({ type: "string", format: "binary", description: "the file's bytes" }),
    handler: async ({ tx, principal, params, reply }) => {
      await visibleClaim(tx, principal, params.id);
      const e = await getEvidence(tx, params.id, params.evidenceId);
      if (!e.content) throw new NotFoundError("evidence file", params.evidenceId);
      reply
        .type(e.content_type)
        .header("content-disposition", attachment(e.file_name))
        .header("x-content-type-options", "nosniff");
      return e.content;
    },
  });
}
