import type { ProductDefinition } from "../products/index.ts";
import { addDays, type IsoDate, maxDate } from "../shared/dates.ts";
import { ValidationError } from "../shared/errors.ts";

/**
 * The earliest start a policy may be bound with on `today` (the product's calendar day): never
 * before the product version was valid, and a staff member may backdate by at most the product's
 * `maxBackdatingDays`, a policyholder not at all. Cover that starts further back would insure
 * incidents already known, and bill every installment since (1970-01-01 gave 684 invoices).
 */
export function earliestStart(product: ProductDefinition, today: IsoDate, mayBackdate: boolean): IsoDate {
  return maxDate(product.validFrom, mayBackdate ? addDays(today, -product.maxBackdatingDays) : today);
}

/** Refuses, as `dates_out_of_order` on `startDate`, a start before `earliestStart`; says which limit bit. */
export function checkStartDate(
  product: ProductDefinition,
  startDate: IsoDate,
  today: IsoDate,
  mayBackdate: boolean,
): void {
  const earliest = earliestStart(product, today, mayBackdate);
  if (startDate >= earliest) return;
  const why =
    earliest === product.validFrom
      ? `${product.code} v${product.version} is valid from ${product.validFrom}`
      : mayBackdate
        ? `${product.code} may be backdated by at most ${product.maxBackdatingDays} days (today is ${today})`
        : `must be today (${today}) or later`;
  throw new ValidationError(
    [{ path: "startDate", message: `${startDate} is before ${earliest}: ${why}` }],
    "dates_out_of_order",
  );
}

/**
 * The product's own bound, whoever binds and whenever (the API, the demo's history, conformance):
 * no policy starts before its version was valid.
 */
export function checkStartWithinProduct(product: ProductDefinition, startDate: IsoDate): void {
  checkStartDate(product, startDate, product.validFrom, false);
}
