import { createHash } from "node:crypto";
import { sql } from "kysely";
import { recordAudit } from "../audit/index.ts";
import type { Tx } from "../db/schema.ts";
import type { Ctx } from "../shared/context.ts";
import { AppError, NotFoundError, ValidationError } from "../shared/errors.ts";
import type { EvidenceQuota } from "./config.ts";
import { FILE_CHECKS } from "./file-structure/index.ts";
import type { EvidenceKind } from "./tables.ts";

export const EVIDENCE_KINDS = [
  "police_report",
  "bank_refusal_letter",
  "invoice",
  "screenshot",
  "other",
] as const satisfies readonly EvidenceKind[];

/** Accepted types, each checked against the whole file's structure (./file-structure/). */
export const EVIDENCE_TYPES = FILE_CHECKS;

export interface EvidenceLimits {
  maxBytes: number;
  quota: EvidenceQuota;
}

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

/**
 * Control, format (the bidi overrides U+202A–U+202E and isolates U+2066–U+2069, zero-width
 * characters), surrogate and line/paragraph separator code points: invisible or misleading in a
 * name ("invoice\u202Efdp.exe" shows as "invoiceexe.pdf").
 */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu;

/** A name to show: the last path segment, NFC, without hidden characters; never a path. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  return base.normalize("NFC").replace(HIDDEN, "").trim();
}

function checkedFileName(name: string): string {
  const clean = cleanFileName(name);
  if (clean === "" || clean.length > 200)
    throw new ValidationError([{ path: "fileName", message: "must be 1-200 visible characters" }]);
  return clean;
}

/** Refuses a new file beyond the quota; the caller holds the household's lock. */
async function checkQuota(
  tx: Tx,
  claim: { id: string; party_id: string },
  size: number,
  quota: EvidenceQuota,
) {
  const used = await tx
    .selectFrom("claim_evidence as e")
    .innerJoin("policies as p", "p.id", "e.policy_id")
    .where("p.party_id", "=", claim.party_id)
    .where("e.erased_at", "is", null)
    .select([
      sql<string>`count(*) filter (where e.claim_id = ${claim.id})`.as("claim_files"),
      sql<string>`coalesce(sum(e.size_bytes) filter (where e.claim_id = ${claim.id}), 0)`.as("claim_bytes"),
      sql<string>`count(*)`.as("party_files"),
      sql<string>`coalesce(sum(e.size_bytes), 0)`.as("party_bytes"),
    ])
    .executeTakeFirstOrThrow();
  const over = (what: string, files: number, bytes: number, limit: { files: number; bytes: number }) => {
    if (files + 1 > limit.files)
      throw new AppError("evidence_quota_exceeded", `${what} holds ${files} files; at most ${limit.files}`);
    if (bytes + size > limit.bytes)
      throw new AppError(
        "evidence_quota_exceeded",
        `${what} holds ${bytes} bytes of evidence; with this file it would pass ${limit.bytes}`,
      );
  };
  over("this claim", Number(used.claim_files), Number(used.claim_bytes), quota.perClaim);
  over("this household", Number(used.party_files), Number(used.party_bytes), quota.perPolicyholder);
}

/**
 * Stores a piece of evidence with its claim, in the caller's transaction: the file and its row
 * commit or vanish together. The same file sent twice is stored once (a retried upload).
 */
export async function addEvidence(tx: Tx, ctx: Ctx, input: AddEvidenceInput, limits: EvidenceLimits) {
  const type = input.contentType.split(";")[0]!.trim().toLowerCase();
  const check = EVIDENCE_TYPES[type];
  if (!check)
    throw new AppError(
      "unsupported_media_type",
      `evidence must be one of ${Object.keys(EVIDENCE_TYPES).join(", ")}`,
    );
  if (input.content.length === 0) throw new ValidationError([{ path: "body", message: "the file is empty" }]);
  if (input.content.length > limits.maxBytes)
    throw new AppError("payload_too_large", `evidence files may be at most ${limits.maxBytes} bytes`);
  const finding = check(input.content);
  if (finding) throw new AppError("unsupported_media_type", `the file is not a valid ${type}: ${finding}`);
  const fileName = checkedFileName(input.fileName);
  const claim = await tx
    .selectFrom("claims")
    .innerJoin("policies", "policies.id", "claims.policy_id")
    .select(["claims.id", "claims.policy_id", "policies.party_id"])
    .where("claims.id", "=", input.claimId)
    .executeTakeFirst();
  if (!claim) throw new NotFoundError("claim", input.claimId);
  const sha256 = createHash("sha256").update(input.content).digest("hex");
  await checkQuotaUnlessStored(tx, claim, sha256, input.content.length, limits.quota);
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

/**
 * A retried upload of a file the claim holds already is answered with it, quota or not. The
 * household's party row is locked first (FOR NO KEY UPDATE: binding a policy for the party still
 * goes on), so concurrent uploads for one household are looked at one after the other: they can
 * never pass the quota together, and a retry racing its first try still finds it stored.
 */
async function checkQuotaUnlessStored(
  tx: Tx,
  claim: { id: string; party_id: string },
  sha256: string,
  size: number,
  quota: EvidenceQuota,
) {
  await tx.selectFrom("parties").select("id").where("id", "=", claim.party_id).forNoKeyUpdate().execute();
  const stored = await tx
    .selectFrom("claim_evidence")
    .select("id")
    .where("claim_id", "=", claim.id)
    .where("sha256", "=", sha256)
    .executeTakeFirst();
  if (!stored) await checkQuota(tx, claim, size, quota);
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
