import { sql } from "kysely";
import type { IsoDate } from "../../shared/dates.ts";

/**
 * Which policies dunning writes to on `date` (issue 14 item 8), as a condition on `policies p`,
 * applied in SQL so the sweep never reads the others:
 * - the insurer collects the premium: a policy billed on a distribution partner's invoice
 *   (`partner_invoice`) is the partner's to collect, so the insurer sends it no reminder;
 * - the policy has not ended by then: no reminder or formal notice after a cancellation or a
 *   termination took effect.
 */
export function dunnedPolicy(date: IsoDate) {
  return sql`p.payment_method <> 'partner_invoice' and (p.end_date is null or p.end_date > ${date}::date)`;
}
