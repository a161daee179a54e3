import type { Tx } from "../db/schema.ts";
import type { Ctx } from "../shared/context.ts";
import { AppError, ValidationError } from "../shared/errors.ts";
import { isLanguage, type Language } from "../shared/i18n/index.ts";
import { loadCase } from "./cases.ts";
import {
  CONTENT_TYPES,
  type ContentType,
  REMOVAL_CATEGORIES,
  REMOVAL_GROUNDS,
  REMOVAL_TRANSITIONS,
  type RemovalGround,
  type RemovalStatus,
} from "./model.ts";
import { isWebUrl, renderNotice } from "./notice.ts";
import { getRemoval, insertRemoval, updateRemoval } from "./store/items.ts";
import type { RemovalRow } from "./tables.ts";

export interface RemovalInput {
  caseId: string;
  platform: string;
  url: string;
  contentType: string;
  ground: string;
  explanation: string;
  language?: string;
}

/**
 * Registers a content-removal item on an entitled cyberbullying or defamation case and writes its
 * DSA notice in the policyholder's language (or the one asked for).
 */
export async function requestRemoval(tx: Tx, ctx: Ctx, input: RemovalInput): Promise<RemovalRow> {
  const issues = [];
  if (!isWebUrl(input.url)) issues.push({ path: "url", message: "must be an http or https URL" });
  if (!(CONTENT_TYPES as readonly string[]).includes(input.contentType))
    issues.push({ path: "contentType", message: `unknown content type "${input.contentType}"` });
  if (!(REMOVAL_GROUNDS as readonly string[]).includes(input.ground))
    issues.push({ path: "ground", message: `unknown ground "${input.ground}"` });
  if (input.language !== undefined && !isLanguage(input.language))
    issues.push({ path: "language", message: "must be nl, fr or en" });
  if (!input.platform.trim()) issues.push({ path: "platform", message: "must name the platform" });
  if (issues.length > 0) throw new ValidationError(issues);
  const { row, loaded } = await loadCase(tx, ctx, input.caseId);
  if (!row.entitled)
    throw new AppError(
      "removal_not_allowed",
      `case ${row.number} is not entitled (${row.entitlement_reason}): advice only`,
    );
  if (!REMOVAL_CATEGORIES.includes(row.category))
    throw new AppError(
      "removal_not_allowed",
      `content removal is for cyberbullying and defamation, not ${row.category}`,
    );
  const party = await tx
    .selectFrom("parties")
    .select(["name", "email"])
    .where("id", "=", loaded.policy.party_id)
    .executeTakeFirstOrThrow();
  const language: Language = isLanguage(input.language) ? input.language : loaded.language;
  const notice = renderNotice({
    language,
    country: loaded.product.country,
    platform: input.platform.trim(),
    url: input.url,
    contentType: input.contentType as ContentType,
    ground: input.ground as RemovalGround,
    explanation: input.explanation,
    notifierName: party.name,
    notifierEmail: party.email ?? "",
  });
  return insertRemoval(tx, ctx, {
    case_id: row.id,
    policy_id: row.policy_id,
    platform: input.platform.trim(),
    url: input.url,
    content_type: input.contentType as ContentType,
    ground: input.ground as RemovalGround,
    status: "requested",
    language,
    explanation: input.explanation,
    notice_text: `${notice.subject}\n\n${notice.body}`,
    notice_sent_at: null,
    answered_at: null,
    no_response_at: null,
  });
}

/** Moves an item along REMOVAL_TRANSITIONS: the notice sent, or the platform's answer. */
export async function moveRemoval(
  tx: Tx,
  ctx: Ctx,
  input: { removalId: string; to: string },
): Promise<RemovalRow> {
  const row = await getRemoval(tx, input.removalId);
  const to = input.to as RemovalStatus;
  if (!REMOVAL_TRANSITIONS[row.status].includes(to))
    throw new AppError("transition_not_allowed", `the item is ${row.status}; it cannot become ${input.to}`);
  return updateRemoval(tx, ctx, row, {
    status: to,
    ...(to === "notice_sent" ? { notice_sent_at: ctx.now } : {}),
    ...(to === "removed" || to === "refused" ? { answered_at: ctx.now } : {}),
  });
}
