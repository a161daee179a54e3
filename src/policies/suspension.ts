import { addDays, compareDates, type IsoDate } from "../shared/dates.ts";
import type { Suspension } from "./cover.ts";

export interface PremiumNotice {
  id: string;
  dueDate: IsoDate;
  /** The day the reminder (NL) or formal notice (BE) was sent. */
  reminderDate: IsoDate;
  /** The day the overdue premium was received; null while unpaid. */
  settledOn: IsoDate | null;
}

/**
 * Suspension periods for unpaid premium (art. 7:934 BW, or the Belgian formal notice): if the
 * premium is still unpaid `suspendAfterDays − 1` days after the notice, cover is suspended from
 * notice + `suspendAfterDays` until the day the premium arrives; cover resumes the day after.
 */
export function suspensionPeriods(
  notices: readonly PremiumNotice[],
  suspendAfterDays: number,
): (Suspension & { noticeId: string })[] {
  const periods: (Suspension & { noticeId: string })[] = [];
  for (const n of notices) {
    const from = addDays(n.reminderDate, suspendAfterDays);
    if (n.settledOn !== null && compareDates(n.settledOn, from) < 0) continue;
    periods.push({ noticeId: n.id, from, until: n.settledOn });
  }
  return periods.sort((a, b) => compareDates(a.from, b.from));
}

/** The first day of a suspension that would follow a notice sent on `reminderDate`. */
export function suspensionStart(reminderDate: IsoDate, suspendAfterDays: number): IsoDate {
  return addDays(reminderDate, suspendAfterDays);
}
