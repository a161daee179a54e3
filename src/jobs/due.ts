import { type CronMatcher, parseCronItems } from "graphile-worker";

/**
 * When a scheduled job was last due: the latest minute at or before `now` that its crontab
 * matches, looked for no further back than `backfillHours`. Pure; the embedded scheduler asks it
 * every minute and runs the job when the answer is newer than the run it last recorded.
 */
export function latestDue(match: CronMatcher, now: Date, backfillHours: number): Date | null {
  const minute = 60_000;
  const start = Math.floor(now.getTime() / minute) * minute;
  const earliest = start - Math.max(1, Math.round(backfillHours * 60)) * minute;
  for (let t = start; t >= earliest; t -= minute) {
    const ts = new Date(t);
    const digest = {
      min: ts.getUTCMinutes(),
      hour: ts.getUTCHours(),
      date: ts.getUTCDate(),
      month: ts.getUTCMonth() + 1,
      dow: ts.getUTCDay(),
    };
    if (match(digest)) return ts;
  }
  return null;
}

/** The matcher of a crontab time spec, parsed by graphile-worker so both runners read it alike. */
export function cronMatcher(schedule: string, name: string): CronMatcher {
  const [item] = parseCronItems([{ task: name, match: schedule, identifier: name }]);
  if (!item) throw new Error(`job ${name}: no crontab item parsed from "${schedule}"`);
  return item.match;
}
