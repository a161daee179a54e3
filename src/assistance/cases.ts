import type { Tx } from "../db/schema.ts";
import { loadPolicy } from "../policies/index.ts";
import type { AssistanceTerms, CasePriority } from "../products/index.ts";
import { CASE_PRIORITIES } from "../products/index.ts";
import type { ProductDefinition } from "../products/schema.ts";
import type { Ctx } from "../shared/context.ts";
import { AppError, ValidationError } from "../shared/errors.ts";
import { entitlementOn } from "./entitlement.ts";
import {
  CASE_STATUSES,
  type CaseStatus,
  CHANNELS,
  canMove,
  HELP_KINDS,
  type HelpKind,
  needsReason,
} from "./model.ts";
import { type CaseClock, dueColumns, isMet, resolutionDue } from "./sla.ts";
import {
  appendNote,
  getCase,
  insertCase,
  insertPriorityChange,
  recordBreach,
  updateCase,
} from "./store/cases.ts";
import type { CaseRow } from "./tables.ts";

/** The product's helpline terms; a product without them offers no helpline. */
export function termsOf(product: ProductDefinition): AssistanceTerms {
  if (!product.assistance)
    throw new AppError("validation_failed", `product ${product.code} ${product.version} has no helpline`);
  return product.assistance;
}

export function clockOf(row: CaseRow): CaseClock {
  return {
    openedAt: row.opened_at,
    priority: row.priority,
    pausedMs: Number(row.paused_ms),
    waitingSince: row.waiting_since,
  };
}

/** Loads a case with its policy's product (the version it was sold under). */
export async function loadCase(tx: Tx, ctx: Ctx, caseId: string) {
  const row = await getCase(tx, caseId);
  const loaded = await loadPolicy(tx, ctx, row.policy_id);
  return { row, loaded, terms: termsOf(loaded.product) };
}

export interface OpenCaseInput {
  policyId: string;
  reference?: string | null;
  /** When the contact began; defaults to now (staff may register a call after the fact). */
  openedAt?: Date;
  channel: string;
  category: string;
  ongoing?: boolean;
  helpKinds?: readonly string[];
  /** The first note: what the caller told us. */
  description?: string | null;
  authorRole: string;
}

function validateOpen(terms: AssistanceTerms, input: OpenCaseInput, now: Date) {
  if (!(CHANNELS as readonly string[]).includes(input.channel))
    throw new ValidationError(
      [{ path: "channel", message: `unknown channel "${input.channel}"` }],
      "unknown_channel",
    );
  if (!(input.category in terms.categories))
    throw new ValidationError(
      [{ path: "category", message: `unknown category "${input.category}"` }],
      "unknown_category",
    );
  (input.helpKinds ?? []).forEach((k, i) => {
    if (!(HELP_KINDS as readonly string[]).includes(k))
      throw new ValidationError([{ path: `helpKinds.${i}`, message: `unknown kind of help "${k}"` }]);
  });
  if (input.openedAt && input.openedAt.getTime() > now.getTime())
    throw new ValidationError([{ path: "openedAt", message: "lies in the future" }]);
}

/** Opens a case: priority from the category (urgent while ongoing), due instants, entitlement. */
export async function openCase(tx: Tx, ctx: Ctx, input: OpenCaseInput): Promise<CaseRow> {
  const loaded = await loadPolicy(tx, ctx, input.policyId);
  const terms = termsOf(loaded.product);
  validateOpen(terms, input, ctx.now);
  const openedAt = input.openedAt ?? ctx.now;
  const ongoing = input.ongoing ?? false;
  const priority = ongoing ? terms.ongoingPriority : terms.categories[input.category]!;
  const clock: CaseClock = { openedAt, priority, pausedMs: 0, waitingSince: null };
  const entitlement = entitlementOn(loaded.terms, loaded.product.timeZone, openedAt);
  const row = await insertCase(tx, ctx, {
    policy_id: input.policyId,
    reference: input.reference ?? null,
    opened_at: openedAt,
    channel: input.channel as CaseRow["channel"],
    category: input.category,
    ongoing,
    help_kinds: JSON.stringify([...new Set(input.helpKinds ?? [])]),
    priority,
    priority_reason: null,
    status: "open",
    entitled: entitlement.entitled,
    entitlement_reason: entitlement.reason,
    ...dueColumns(terms, clock, null),
    waiting_since: null,
    paused_ms: 0,
    first_response_at: null,
    resolved_at: null,
    attention_since: null,
    claim_id: null,
    opened_by: ctx.actor,
  });
  if (input.description)
    await appendNote(tx, ctx, row, {
      body: input.description,
      authorRole: input.authorRole,
      isResponse: false,
    });
  return row;
}

/** Staff answer the customer: a note marked as response; the first one meets (or misses) the first-response target. */
export async function respond(
  tx: Tx,
  ctx: Ctx,
  input: { caseId: string; body: string; authorRole: string; version?: number },
) {
  const { row, terms } = await loadCase(tx, ctx, input.caseId);
  checkVersion(row, input.version);
  await appendNote(tx, ctx, row, { body: input.body, authorRole: input.authorRole, isResponse: true });
  if (row.first_response_at !== null && row.status !== "open") return row;
  return firstResponse(tx, ctx, terms, row, row.status === "open" ? "in_progress" : row.status);
}

async function firstResponse(tx: Tx, ctx: Ctx, terms: AssistanceTerms, row: CaseRow, status: CaseStatus) {
  const first = row.first_response_at ?? ctx.now;
  const updated = await updateCase(
    tx,
    ctx,
    row,
    { first_response_at: first, status, attention_since: null, ...dueColumns(terms, clockOf(row), first) },
    { audit: { action: "assistance.responded", before: { status: row.status }, after: { status } } },
  );
  if (row.first_response_at === null && !isMet(row.first_response_due, first))
    await recordBreach(tx, ctx, updated, "first_response", row.first_response_due);
  return updated;
}

/** A note from the policyholder or staff; a policyholder's note on a waiting case resumes it. */
export async function addNote(tx: Tx, ctx: Ctx, input: { caseId: string; body: string; authorRole: string }) {
  const { row } = await loadCase(tx, ctx, input.caseId);
  await appendNote(tx, ctx, row, { body: input.body, authorRole: input.authorRole, isResponse: false });
  if (input.authorRole === "policyholder" && row.status === "waiting_for_customer")
    return changeStatus(tx, ctx, { caseId: row.id, to: "in_progress" });
  return row;
}

function checkVersion(row: CaseRow, version: number | undefined) {
  if (version !== undefined && version !== row.version)
    throw new AppError(
      "conflict",
      `case ${row.number} is at version ${row.version}, not ${version}; reload it`,
    );
}

/**
 * Moves a case along CASE_TRANSITIONS. Leaving waiting_for_customer adds the wait to the paused
 * time (the resolution target moves out by it); resolving meets or misses the resolution target;
 * reopening needs a reason.
 */
export async function changeStatus(
  tx: Tx,
  ctx: Ctx,
  input: { caseId: string; to: string; reason?: string | null; version?: number },
): Promise<CaseRow> {
  if (!(CASE_STATUSES as readonly string[]).includes(input.to))
    throw new ValidationError(
      [{ path: "status", message: `unknown status "${input.to}"` }],
      "unknown_status",
    );
  const to = input.to as CaseStatus;
  const { row, terms } = await loadCase(tx, ctx, input.caseId);
  checkVersion(row, input.version);
  if (!canMove(row.status, to))
    throw new AppError(
      "transition_not_allowed",
      `case ${row.number} is ${row.status}; it cannot become ${to}`,
    );
  if (needsReason(row.status, to) && !input.reason?.trim())
    throw new ValidationError([{ path: "reason", message: "reopening a case needs a reason" }]);
  if (row.status === "open" && to === "in_progress") return firstResponse(tx, ctx, terms, row, to);
  const clock = clockOf(row);
  const pausedMs = row.waiting_since
    ? clock.pausedMs + (ctx.now.getTime() - row.waiting_since.getTime())
    : clock.pausedMs;
  const nextClock = { ...clock, pausedMs, waitingSince: null };
  const firstAt = row.first_response_at ?? (to === "resolved" ? ctx.now : null);
  const updated = await updateCase(
    tx,
    ctx,
    row,
    {
      status: to,
      paused_ms: pausedMs,
      waiting_since: to === "waiting_for_customer" ? ctx.now : null,
      resolved_at: to === "resolved" ? ctx.now : null,
      first_response_at: firstAt,
      attention_since: null,
      ...dueColumns(terms, nextClock, firstAt),
    },
    {
      audit: {
        action: "assistance.status_changed",
        before: { status: row.status },
        after: { status: to, reason: input.reason ?? null },
      },
      statusReason: input.reason ?? null,
    },
  );
  if (to === "resolved") {
    if (row.first_response_at === null && !isMet(row.first_response_due, ctx.now))
      await recordBreach(tx, ctx, updated, "first_response", row.first_response_due);
    const due = resolutionDue(terms, nextClock, ctx.now);
    if (!isMet(due, ctx.now)) await recordBreach(tx, ctx, updated, "resolution", due);
  }
  return updated;
}

/** Staff change the priority with a reason: the new priority's targets, from openedAt; a recorded breach stays. */
export async function changePriority(
  tx: Tx,
  ctx: Ctx,
  input: { caseId: string; priority: string; reason: string; version?: number },
): Promise<CaseRow> {
  if (!(CASE_PRIORITIES as readonly string[]).includes(input.priority))
    throw new ValidationError([{ path: "priority", message: `unknown priority "${input.priority}"` }]);
  if (!input.reason.trim())
    throw new ValidationError([{ path: "reason", message: "a priority change needs a reason" }]);
  const priority = input.priority as CasePriority;
  const { row, terms } = await loadCase(tx, ctx, input.caseId);
  checkVersion(row, input.version);
  const clock = { ...clockOf(row), priority };
  const updated = await updateCase(
    tx,
    ctx,
    row,
    { priority, priority_reason: input.reason, ...dueColumns(terms, clock, row.first_response_at) },
    {
      audit: {
        action: "assistance.priority_changed",
        before: { priority: row.priority },
        after: { priority, reason: input.reason },
      },
    },
  );
  await insertPriorityChange(tx, ctx, row, { from: row.priority, to: priority, reason: input.reason });
  return updated;
}

export type { HelpKind };
