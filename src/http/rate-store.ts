import type { FastifyRateLimitStore } from "@fastify/rate-limit";

interface Count {
  current: number;
  startMs: number;
}

/** Beyond this many keys, expired windows are swept before a new key is added. */
const SWEEP_ABOVE = 50_000;

/**
 * Fixed windows in memory, one process. Not the plugin's LocalStore: that one hands back its live
 * counter, which later requests increment before the first one reads it, so a burst of
 * concurrent requests is refused more than its budget says (measured: 8 of 8 refused with 7
 * left). Each store (the plugin's and every `child`) counts on its own.
 */
export class WindowStore implements FastifyRateLimitStore {
  private readonly counts = new Map<string, Count>();

  incr(
    key: string,
    callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
    timeWindow: number,
  ): void {
    const now = Date.now();
    let c = this.counts.get(key);
    if (!c || c.startMs + timeWindow <= now) {
      if (!c && this.counts.size >= SWEEP_ABOVE) this.sweep(now, timeWindow);
      c = { current: 0, startMs: now };
      this.counts.set(key, c);
    }
    c.current += 1;
    callback(null, { current: c.current, ttl: c.startMs + timeWindow - now });
  }

  child(): FastifyRateLimitStore {
    return new WindowStore();
  }

  private sweep(now: number, timeWindow: number) {
    for (const [key, c] of this.counts) if (c.startMs + timeWindow <= now) this.counts.delete(key);
  }
}
