import { ValidationError } from "../shared/errors.ts";

/** How long a new API token lives: the default when the client names none, and the most it may ask. */
export interface TokenLifetime {
  defaultDays: number;
  maxDays: number;
}

export const DEFAULT_TOKEN_LIFETIME: TokenLifetime = { defaultDays: 90, maxDays: 365 };

const DAY_MS = 86_400_000;

/**
 * When a token created at `now` expires. A token that never expires is a leaked secret that works
 * forever, so there is always an end, and a request beyond the maximum is refused rather than
 * silently shortened (the client would otherwise believe it has the lifetime it asked for).
 */
export function tokenExpiry(now: Date, requestedDays: number | undefined, lifetime: TokenLifetime): Date {
  const days = requestedDays ?? Math.min(lifetime.defaultDays, lifetime.maxDays);
  if (!Number.isInteger(days) || days < 1 || days > lifetime.maxDays) {
    throw new ValidationError([
      {
        path: "expiresInDays",
        message: `must be a whole number of days from 1 to ${lifetime.maxDays} (the longest a token may live)`,
      },
    ]);
  }
  return new Date(now.getTime() + days * DAY_MS);
}
