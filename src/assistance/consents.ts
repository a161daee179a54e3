import { Temporal } from "@js-temporal/polyfill";
import type { RansomConsentFact } from "../claims/index.ts";
import type { Tx } from "../db/schema.ts";
import { consentsOfPolicy } from "./store/items.ts";

/** "HH:MM" of an instant in a time zone: the consent's time as the explanation shows it. */
export function timeIn(instant: Date, timeZone: string): string {
  const z = Temporal.Instant.fromEpochMilliseconds(instant.getTime()).toZonedDateTimeISO(timeZone);
  return `${String(z.hour).padStart(2, "0")}:${String(z.minute).padStart(2, "0")}`;
}

/** The policy's ransom consents as the claim decision reads them (claims/decide.ts). */
export async function ransomConsentFacts(
  tx: Tx,
  policyId: string,
  timeZone: string,
): Promise<RansomConsentFact[]> {
  const rows = await consentsOfPolicy(tx, policyId);
  return rows.map((r) => ({
    givenAt: r.given_at,
    givenOn: r.given_on,
    givenTime: timeIn(r.given_at, timeZone),
    givenBy: r.given_by_name,
    max: Number(r.max_cents),
  }));
}
