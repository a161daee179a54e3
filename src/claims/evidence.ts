import { createHash } from "node:crypto";
import { recordAudit } from "../audit/service.ts";
import type { Tx } from "../db/schema.ts";
import type { Ctx } from "../shared/context.ts";
import { AppError, NotFoundError, ValidationError } from "../shared/errors.ts";
import type { EvidenceKind } from "./tables.ts";

export const EVIDENCE_KINDS = [
  "police_report",
  "bank_refusal_letter",
  "invoice",
  "screenshot",
  "other",
] as const satisfies readonly EvidenceKind[];

const startsWith = (b: Uint8Array, sig: readonly number[], at = 0) =>
  b.length >= at + sig.length && sig.every((v, i) => b[at + i] === v);

/**
 * Accepted file types, each checked against the file's own first bytes: the declared
 * Content-Type alone is the client's claim, and a handler opens these files.
 */
export const EVIDENCE_TYPES: Record<string, (b: Uint8Array) => boolean> = {
  "application/pdf": (b) => startsWith(b, [0x25, 0x50, 0x44, 0x46, 0x2d]),
  "image/png": (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  "image/jpeg": (b) => startsWith(b, [0xff, 0xd8, 0xff]),
  "image/webp": (b) => startsWith(b, [0x52, 0x49, 0x46, 0x46]) && startsWith(b, [0x57, 0x45, 0x42, 0x50], 8),
};

export interface AddEvidenceInput {
  claimId: string;
  kind: EvidenceKind;
  fileName: string;
  contentType: string;
  content: Uint8Array;
}

const META = [
  "id",
  "claim_id",
  "policy_id",
  "kind",
  "file_name",
  "content_type",
  "size_bytes",
  "sha256",
  "uploaded_by",
  "uploaded_at",
  "erased_at",
] as const;

/** Only the last path segment, without control characters: a name to show, never a path. */
function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  const clean = [...base]
    .filter((ch) => ch.charCodeAt(0) >= 0x20 && ch !== "\u007f")
    .join("")
    .trim();
  if (clean === "" || clean.length > 200)
    throw new ValidationError([{ path: "fileName", message: "must be 1-200 characters" }]);
  return clean;
}

/**
 * Stores a piece of evidence with its claim, in the caller's transaction: the file and its row
 * commit or vanish together. The same file sent twice is stored once (a retried upload).
 */
export async function addEvidence(tx: Tx, ctx: Ctx, input: AddEvidenceInput, maxBytes: number) {
  const type = input.contentType.split(";")[0]!.trim().toLowerCase();
  const sniff = EVIDENCE_TYPES[type];
  if (!sniff)
    throw new AppError(
      "unsupported_media_type",
      `evidence must be one of ${Object.keys(EVIDENCE_TYPES).join(", ")}`,
    );
  if (input.content.length === 0) throw new ValidationError([{ path: "body", message: "the file is empty" }]);
  if (input.content.length > maxBytes)
    throw new AppError("payload_too_large", `evidence files may be at most ${maxBytes} bytes`);
  if (!sniff(input.content))
    throw new AppError("unsupported_media_type", `the file's content is not ${type}`);
  const fileName = cleanFileName(input.fileName);
  const claim = await tx
    .selectFrom("claims")
    .select(["id", "policy_id", "number"])
    .where("id", "=", input.claimId)
    .executeTakeFirst();
  if (!claim) throw new NotFoundError("claim", input.claimId);
  const sha256 = createHash("sha256").update(input.content).digest("hex");
  const inserted = await tx
    .insertInto("claim_evidence")
    .values({
      claim_id: claim.id,
      policy_id: claim.policy_id,
      kind: input.kind,
      file_name: fileName,
      content_type: type,
      size_bytes: input.content.length,
      sha256,
      content: input.content,
      uploaded_by: ctx.actor,
      uploaded_at: ctx.now,
      erased_at: null,
    })
    .onConflict((oc) => oc.columns(["claim_id", "sha256"]).doNothing())
    .returning(META)
    .executeTakeFirst();
  if (!inserted) {
    const existing = await tx
      .selectFrom("claim_evidence")
      .select(META)
      .where("claim_id", "=", claim.id)
      .where("sha256", "=", sha256)
      .executeTakeFirstOrThrow();
    return { evidence: existing, created: false };
  }
  await recordAudit(tx, ctx, {
    action: "claim.evidence_added",
    entityType: "claim",
    entityId: claim.id,
    policyId: claim.policy_id,
    after: {
      evidenceId: inserted.id,
      kind: input.kind,
      fileName,
      contentType: type,
      sizeBytes: input.content.length,
      sha256,
    },
  });
  return { evidence: inserted, created: true };
}

export async function listEvidence(tx: Tx, claimId: string) {
  return tx
    .selectFrom("claim_evidence")
    .select(META)
    .where("claim_id", "=", claimId)
    .orderBy("uploaded_at")
    .orderBy("id")
    .execute();
}

/** One file with its content (null once erased); `pg` gives a Buffer, PGlite a Uint8Array. */
export async function getEvidence(tx: Tx, claimId: string, evidenceId: string) {
  const row = await tx
    .selectFrom("claim_evidence")
    .select([...META, "content"])
    .where("claim_id", "=", claimId)
    .where("id", "=", evidenceId)
    .executeTakeFirst();
  if (!row) throw new NotFoundError("evidence", evidenceId);
  return { ...row, content: row.content ? Buffer.from(row.content) : null };
}
