import type { PolicyTerms } from "../policies/cover.ts";
import { householdOn } from "../policies/cover.ts";
import type { Catalog } from "../products/catalog.ts";
import type {
  HouseholdType,
  PaymentFrequency,
  PaymentMethod,
  ProductDefinition,
} from "../products/schema.ts";
import type { IsoDate } from "../shared/dates.ts";
import {
  type BillingTerms,
  collectionDate,
  type InstallmentPrice,
  installmentPrice,
  type Period,
  periodsDue,
  sequenceType,
} from "./schedule.ts";

/** A policy as the billing run reads it: one row per policy of a chunk that has something due. */
export interface PolicyToBill {
  id: string;
  number: string;
  product_code: string;
  product_version: number;
  household: string;
  start_date: IsoDate;
  payment_frequency: string;
  payment_method: string;
  end_date: IsoDate | null;
  billed_through: IsoDate | null;
  last_mandate_id: string | null;
  mandate_id: string | null;
}

export interface InvoiceRow {
  policy_id: string;
  period_start: IsoDate;
  period_end: IsoDate;
  reference: string;
  due_date: IsoDate;
  household: string;
  payment_method: string;
  premium_cents: number;
  surcharge_cents: number;
  amount_cents: number;
  collection_date: IsoDate | null;
  mandate_id: string | null;
  sequence_type: string | null;
}

/**
 * Turns the policies of a chunk into invoice rows. Pure apart from its caches: policies share
 * start dates, products and tariffs, so periods and prices are computed once per distinct key and
 * the run stays fast for a million policies.
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

  private product(p: PolicyToBill): ProductDefinition {
    return this.catalog.get(p.product_code, p.product_version);
  }

  private duePeriods(p: PolicyToBill, product: ProductDefinition): Period[] {
    const frequency = product.paymentFrequencies[p.payment_frequency as PaymentFrequency];
    if (!frequency)
      throw new Error(`policy ${p.number}: frequency ${p.payment_frequency} not in its product`);
    const key = `${p.start_date}|${frequency.installments}|${product.leapDayAnniversary}|${p.billed_through}|${p.end_date}`;
    let periods = this.periods.get(key);
    if (!periods) {
      const terms: BillingTerms = {
        startDate: p.start_date,
        leapDay: product.leapDayAnniversary,
        installments: frequency.installments,
        endDate: p.end_date,
      };
      periods = periodsDue(terms, p.billed_through, this.runDate);
      if (this.periods.size > 50_000) this.periods.clear();
      this.periods.set(key, periods);
    }
    return periods;
  }

  private price(p: PolicyToBill, product: ProductDefinition, household: HouseholdType): InstallmentPrice {
    const key = `${product.code}|${product.version}|${household}|${p.payment_frequency}|${p.payment_method}`;
    let price = this.prices.get(key);
    if (!price) {
      price = installmentPrice(
        product,
        household,
        p.payment_frequency as PaymentFrequency,
        p.payment_method as PaymentMethod,
      );
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
   * Invoice rows for one policy. `endorsements` are the policy's household changes; `notices`
   * maps a policy year's start to the day its schedule was sent.
   */
  plan(
    p: PolicyToBill,
    endorsements: PolicyTerms["endorsements"],
    notices: ReadonlyMap<IsoDate, IsoDate> | undefined,
  ): InvoiceRow[] {
    const product = this.product(p);
    const periods = this.duePeriods(p, product);
    const terms: PolicyTerms = {
      startDate: p.start_date,
      household: p.household as HouseholdType,
      endorsements,
      endDate: p.end_date,
      endReason: null,
      suspensions: [],
    };
    const direct = p.payment_method === "sepa_direct_debit" && p.mandate_id !== null;
    let first = p.last_mandate_id !== p.mandate_id;
    return periods.map((period) => {
      const household = endorsements.length === 0 ? terms.household : householdOn(terms, period.start);
      const price = this.price(p, product, household);
      const row: InvoiceRow = {
        policy_id: p.id,
        period_start: period.start,
        period_end: period.end,
        reference: `${p.number}-${period.start.replaceAll("-", "")}`,
        due_date: period.start,
        household,
        payment_method: p.payment_method,
        premium_cents: price.premium,
        surcharge_cents: price.surcharge,
        amount_cents: price.amount,
        collection_date: direct
          ? this.collection(period.start, notices?.get(period.yearStart) ?? null)
          : null,
        mandate_id: direct ? p.mandate_id : null,
        sequence_type: direct ? sequenceType(first, period, p.end_date) : null,
      };
      if (direct) first = false;
      return row;
    });
  }
}
