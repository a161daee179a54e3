/**
 * The per-account login limit (pure): after `freeAttempts` consecutive failures for one e-mail
 * address, each further attempt waits `baseSeconds`, doubling with every failure up to
 * `maxSeconds`. A growing wait rather than a lock-out: whoever knows someone's address can always
 * fail logins for it, and the owner must still get in after a while.
 */
export interface LoginBackoff {
  freeAttempts: number;
  baseSeconds: number;
  maxSeconds: number;
  /** A run of failures this old is forgotten: the count starts over. */
  forgetAfterSeconds: number;
}

export const DEFAULT_LOGIN_BACKOFF: LoginBackoff = {
  freeAttempts: 5,
  baseSeconds: 30,
  maxSeconds: 15 * 60,
  forgetAfterSeconds: 24 * 60 * 60,
};

/** The stored run of failures of one address. */
export interface FailureRecord {
  failures: number;
  lastFailedAt: Date;
}

/** The wait imposed after the `failures`-th consecutive failure. */
export function backoffSeconds(failures: number, p: LoginBackoff): number {
  if (failures < p.freeAttempts) return 0;
  // Capped before the power so a long run of failures cannot reach Infinity or lose integers.
  const doublings = Math.min(failures - p.freeAttempts, 40);
  return Math.min(p.maxSeconds, p.baseSeconds * 2 ** doublings);
}

/** The failures that still count at `now`. */
export function currentFailures(r: FailureRecord | null, now: Date, p: LoginBackoff): number {
  if (!r) return 0;
  const age = now.getTime() - r.lastFailedAt.getTime();
  return age >= p.forgetAfterSeconds * 1000 ? 0 : r.failures;
}

/** Whole seconds until the next attempt is weighed at all; 0: now. */
export function retryAfterSeconds(r: FailureRecord | null, now: Date, p: LoginBackoff): number {
  const failures = currentFailures(r, now, p);
  if (!r || failures === 0) return 0;
  const until = r.lastFailedAt.getTime() + backoffSeconds(failures, p) * 1000;
  return Math.max(0, Math.ceil((until - now.getTime()) / 1000));
}
