import { householdOn, type PolicyTerms } from "../../policies/cover.ts";
import type {
  Catalog,
  HouseholdType,
  PaymentFrequency,
  PaymentMethod,
  ProductDefinition,
} from "../../products/index.ts";
import type { IsoDate } from "../../shared/dates.ts";
import {
  type BillingTerms,
  collectionDate,
  type InstallmentPrice,
  installmentPrice,
  type Period,
  periodsDue,
  type SequenceType,
  sequenceType,
} from "../schedule.ts";

/**
 * What the billing run needs to know of a group of policies that bill alike: the same product,
 * household, start date, frequency, method, end of cover and whether they are collected by direct
 * debit. A policy with household changes or schedule notices is a group of its own (`policy_id`),
 * because its periods are priced and collected by its own dates.
 */
export interface BillingKey {
  key_no: number;
  policy_id: string | null;
  product_code: string;
  product_version: number;
  household: HouseholdType;
  start_date: IsoDate;
  payment_frequency: PaymentFrequency;
  payment_method: PaymentMethod;
  end_date: IsoDate | null;
  /** Collected by direct debit: paid by SEPA direct debit and an active mandate. */
  direct: boolean;
  /** The earliest billed-through date of the group: its periods are planned from here. */
  billed_from: IsoDate;
}

/**
 * One installment period of a group, priced and dated. The database applies it to every policy of
 * the group whose billed-through date falls before its end; the first period a policy is billed is
 * the one holding that date, and takes `seq_first` when the mandate has not been collected before.
 */
export interface PlanRow {
  key_no: number;
  period_start: IsoDate;
  period_end: IsoDate;
  household: string;
  premium_cents: number;
  surcharge_cents: number;
  amount_cents: number;
  collection_date: IsoDate | null;
  seq_first: SequenceType | null;
  seq_next: SequenceType | null;
}

/**
 * Turns the groups of a chunk into priced periods. Pure apart from its caches: groups share start
 * dates, products and tariffs, so periods and prices are computed once per distinct key and the
 * run stays fast for a million policies.
 */
export class InvoicePlanner {
  private readonly periods = new Map<string, Period[]>();
  private readonly prices = new Map<string, InstallmentPrice>();
  private readonly collections = new Map<string, IsoDate>();

  constructor(
    private readonly catalog: Catalog,
    private readonly runDate: IsoDate,
    private readonly noticeDays: number,
  ) {}

  private duePeriods(k: BillingKey, product: ProductDefinition): Period[] {
    const frequency = product.paymentFrequencies[k.payment_frequency];
    if (!frequency) {
      throw new Error(
        `${k.policy_id ?? "policies"} of ${k.product_code} v${k.product_version}: ` +
          `frequency ${k.payment_frequency} not in the product`,
      );
    }
    const key = `${k.start_date}|${frequency.installments}|${product.leapDayAnniversary}|${k.billed_from}|${k.end_date}`;
    let periods = this.periods.get(key);
    if (!periods) {
      const terms: BillingTerms = {
        startDate: k.start_date,
        leapDay: product.leapDayAnniversary,
        installments: frequency.installments,
        endDate: k.end_date,
      };
      periods = periodsDue(terms, k.billed_from, this.runDate);
      if (this.periods.size > 50_000) this.periods.clear();
      this.periods.set(key, periods);
    }
    return periods;
  }

  private price(k: BillingKey, product: ProductDefinition, household: HouseholdType): InstallmentPrice {
    const key = `${product.code}|${product.version}|${household}|${k.payment_frequency}|${k.payment_method}`;
    let price = this.prices.get(key);
    if (!price) {
      price = installmentPrice(product, household, k.payment_frequency, k.payment_method);
      this.prices.set(key, price);
    }
    return price;
  }

  private collection(due: IsoDate, notifiedOn: IsoDate | null): IsoDate {
    const key = `${due}|${notifiedOn}`;
    let date = this.collections.get(key);
    if (!date) {
      date = collectionDate(due, this.runDate, notifiedOn, this.noticeDays);
      this.collections.set(key, date);
    }
    return date;
  }

  /**
   * The priced periods of one group. `endorsements` are the household changes and `notices` maps a
   * policy year's start to the day its schedule was sent; both only exist for a one-policy group.
   */
  plan(
    k: BillingKey,
    endorsements: PolicyTerms["endorsements"],
    notices: ReadonlyMap<IsoDate, IsoDate> | undefined,
  ): PlanRow[] {
    const product = this.catalog.get(k.product_code, k.product_version);
    const terms: PolicyTerms = {
      startDate: k.start_date,
      household: k.household,
      endorsements,
      endDate: k.end_date,
      endReason: null,
      suspensions: [],
    };
    return this.duePeriods(k, product).map((period) => {
      const household = endorsements.length === 0 ? terms.household : householdOn(terms, period.start);
      const price = this.price(k, product, household);
      return {
        key_no: k.key_no,
        period_start: period.start,
        period_end: period.end,
        household,
        premium_cents: price.premium,
        surcharge_cents: price.surcharge,
        amount_cents: price.amount,
        collection_date: k.direct
          ? this.collection(period.start, notices?.get(period.yearStart) ?? null)
          : null,
        seq_first: k.direct ? sequenceType(true, period, k.end_date) : null,
        seq_next: k.direct ? sequenceType(false, period, k.end_date) : null,
      };
    });
  }
}
