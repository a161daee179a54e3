import type { AssistanceTerms, CasePriority } from "../products/index.ts";
import type { Target } from "./model.ts";

/**
 * The helpline's clock (service-rules.md, "Service levels"): 24/7, elapsed time in UTC
 * milliseconds, so a DST change moves nothing. Pure: instants come in as arguments.
 */
const MINUTE = 60_000;

/** The priority a new case gets: `urgent` while the attack goes on, else its category's. */
export function defaultPriority(terms: AssistanceTerms, category: string, ongoing: boolean): CasePriority {
  if (ongoing) return terms.ongoingPriority;
  const p = terms.categories[category];
  if (!p) throw new RangeError(`unknown category ${category}`);
  return p;
}

export function targetMs(terms: AssistanceTerms, priority: CasePriority, target: Target): number {
  const level = terms.serviceLevels[priority];
  return (target === "first_response" ? level.firstResponseMinutes : level.resolutionMinutes) * MINUTE;
}

/** The case's clock state: when it opened and how long it has waited for the customer. */
export interface CaseClock {
  openedAt: Date;
  priority: CasePriority;
  /** Closed waits, in ms. */
  pausedMs: number;
  /** Start of the wait in progress, or null. */
  waitingSince: Date | null;
}

/** Paused time up to `now`: the closed waits plus the one in progress. */
export function pausedUntil(clock: CaseClock, now: Date): number {
  const open = clock.waitingSince ? Math.max(0, now.getTime() - clock.waitingSince.getTime()) : 0;
  return clock.pausedMs + open;
}

export function firstResponseDue(terms: AssistanceTerms, clock: CaseClock): Date {
  return new Date(clock.openedAt.getTime() + targetMs(terms, clock.priority, "first_response"));
}

/** Resolution due instant as of `now`: a wait in progress keeps pushing it out. */
export function resolutionDue(terms: AssistanceTerms, clock: CaseClock, now: Date): Date {
  return new Date(
    clock.openedAt.getTime() + targetMs(terms, clock.priority, "resolution") + pausedUntil(clock, now),
  );
}

/** Resolution due without the wait in progress: what the store keeps on the case row. */
export function storedResolutionDue(terms: AssistanceTerms, clock: CaseClock): Date {
  return new Date(clock.openedAt.getTime() + targetMs(terms, clock.priority, "resolution") + clock.pausedMs);
}

/** From when an unmet target is at risk: openedAt + paused + ¾ × target (strictly before due). */
export function atRiskFrom(terms: AssistanceTerms, clock: CaseClock, target: Target, now: Date): Date {
  const t = targetMs(terms, clock.priority, target);
  const share = Math.floor((t * terms.atRisk.numerator) / terms.atRisk.denominator);
  const paused = target === "resolution" ? pausedUntil(clock, now) : 0;
  return new Date(clock.openedAt.getTime() + paused + share);
}

/** A target is met by a response or resolution at or before its due instant. */
export function isMet(due: Date, doneAt: Date): boolean {
  return doneAt.getTime() <= due.getTime();
}

export interface TargetState {
  due: Date;
  met: boolean | null;
  atRisk: boolean;
  breached: boolean;
}

/**
 * One target as of `now`: done (met or late), or open (at risk from the share on, breached once
 * past due). A resolution never breaches while the case waits for the customer: its clock stands.
 */
export function targetState(
  terms: AssistanceTerms,
  clock: CaseClock,
  target: Target,
  doneAt: Date | null,
  now: Date,
): TargetState {
  const due = target === "first_response" ? firstResponseDue(terms, clock) : resolutionDue(terms, clock, now);
  if (doneAt) {
    const met = isMet(due, doneAt);
    return { due, met, atRisk: false, breached: !met };
  }
  const waiting = target === "resolution" && clock.waitingSince !== null;
  const breached = !waiting && now.getTime() > due.getTime();
  const atRisk = !breached && now.getTime() >= atRiskFrom(terms, clock, target, now).getTime();
  return { due, met: null, atRisk, breached };
}

/** The instants the store keeps on a case row, so the sweep and the queue are plain indexed scans. */
export function dueColumns(terms: AssistanceTerms, clock: CaseClock, firstResponseAt: Date | null) {
  const closed = { ...clock, waitingSince: null };
  const first = firstResponseDue(terms, clock);
  const resolution = storedResolutionDue(terms, clock);
  return {
    first_response_due: first,
    resolution_due: resolution,
    first_response_risk_at: atRiskFrom(terms, closed, "first_response", clock.openedAt),
    resolution_risk_at: atRiskFrom(terms, closed, "resolution", clock.openedAt),
    next_due: firstResponseAt === null ? first : resolution,
  };
}
