import type { CasePriority } from "../products/index.ts";

/**
 * The helpline's vocabulary (service-rules.md, "Helpline cases", "Content removal"), with the
 * allowed status changes as data: services check a change against these tables, the store applies
 * it as a compare-and-set.
 */
export const CHANNELS = ["phone", "chat", "portal", "email"] as const;
export type Channel = (typeof CHANNELS)[number];

export const HELP_KINDS = ["technical", "legal", "financial", "psychological"] as const;
export type HelpKind = (typeof HELP_KINDS)[number];

export const CASE_STATUSES = ["open", "in_progress", "waiting_for_customer", "resolved"] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** From → the statuses it may move to. `resolved → in_progress` is a reopen and needs a reason. */
export const CASE_TRANSITIONS: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
  open: ["in_progress"],
  in_progress: ["waiting_for_customer", "resolved"],
  waiting_for_customer: ["in_progress", "resolved"],
  resolved: ["in_progress"],
};

export function canMove(from: CaseStatus, to: CaseStatus): boolean {
  return CASE_TRANSITIONS[from].includes(to);
}

/** A move that needs the actor's reason: reopening a resolved case. */
export function needsReason(from: CaseStatus, to: CaseStatus): boolean {
  return from === "resolved" && to === "in_progress";
}

export type { CasePriority };
export type EntitlementReason = "not_in_force" | "cover_suspended";
export type Target = "first_response" | "resolution";

export const CONTENT_TYPES = ["photo", "video", "text", "profile"] as const;
export type ContentType = (typeof CONTENT_TYPES)[number];

export const REMOVAL_GROUNDS = [
  "defamation",
  "intimate_image",
  "harassment",
  "impersonation",
  "personal_data",
] as const;
export type RemovalGround = (typeof REMOVAL_GROUNDS)[number];

export const REMOVAL_STATUSES = ["requested", "notice_sent", "removed", "refused", "no_response"] as const;
export type RemovalStatus = (typeof REMOVAL_STATUSES)[number];

/** A late `removed` or `refused` still replaces `no_response`. */
export const REMOVAL_TRANSITIONS: Readonly<Record<RemovalStatus, readonly RemovalStatus[]>> = {
  requested: ["notice_sent"],
  notice_sent: ["removed", "refused", "no_response"],
  no_response: ["removed", "refused"],
  removed: [],
  refused: [],
};

/** Categories whose content the helpline asks platforms to take down. */
export const REMOVAL_CATEGORIES: readonly string[] = ["cyberbullying", "defamation"];

export const RISK_AREAS = [
  "accounts",
  "devices",
  "backups",
  "phishing",
  "network",
  "family",
  "payments",
] as const;
export type RiskArea = (typeof RISK_AREAS)[number];
export type RiskLevel = "good" | "fair" | "at_risk";
