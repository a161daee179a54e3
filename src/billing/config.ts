import { isValidBIC } from "ibantools";
import { isValidCreditorId, normaliseCreditorId } from "../bank/index.ts";
import { ValidationError } from "../shared/errors.ts";
import { normaliseIban } from "./mandates.ts";

/**
 * The insurer as SEPA creditor, from the environment. The defaults are a documented demo identity
 * (a Dutch creditor id with valid check digits, the well-known ABN AMRO test IBAN) so a fresh
 * checkout can run billing; production sets every BILLING_CREDITOR_* variable.
 */
export interface BillingConfig {
  creditor: { name: string; iban: string; bic: string | undefined; creditorId: string };
  /** SEPA pre-notification: days between the invoice (or schedule notice) and the collection. */
  preNotificationDays: number;
  /** Policies per chunk: one transaction, one bounded slice of memory. */
  chunkSize: number;
}

export const DEMO_CREDITOR = {
  name: "Cyberpolis Verzekeringen NV",
  iban: "NL91ABNA0417164300",
  bic: "ABNANL2A",
  creditorId: "NL69ZZZ123456780000",
} as const;

type Env = Record<string, string | undefined>;

function positiveInt(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n <= 0) {
    throw new ValidationError([{ path: name, message: `must be a positive integer (got "${raw}")` }]);
  }
  return n;
}

export function billingConfig(env: Env = process.env): BillingConfig {
  const creditorId = normaliseCreditorId(env.BILLING_CREDITOR_ID ?? DEMO_CREDITOR.creditorId);
  if (!isValidCreditorId(creditorId)) {
    throw new ValidationError([
      { path: "BILLING_CREDITOR_ID", message: "is not a valid SEPA creditor identifier (check digits)" },
    ]);
  }
  const iban = normaliseIban(env.BILLING_CREDITOR_IBAN ?? DEMO_CREDITOR.iban, "BILLING_CREDITOR_IBAN");
  const rawBic = env.BILLING_CREDITOR_BIC ?? (env.BILLING_CREDITOR_IBAN ? undefined : DEMO_CREDITOR.bic);
  const bic = rawBic ? rawBic.replace(/\s+/g, "").toUpperCase() : undefined;
  if (bic && !isValidBIC(bic)) {
    throw new ValidationError([{ path: "BILLING_CREDITOR_BIC", message: "is not a valid BIC" }]);
  }
  const name = (env.BILLING_CREDITOR_NAME ?? DEMO_CREDITOR.name).trim();
  if (name === "") throw new ValidationError([{ path: "BILLING_CREDITOR_NAME", message: "is required" }]);
  return {
    creditor: { name, iban, bic, creditorId },
    preNotificationDays: positiveInt(env, "BILLING_PRENOTIFICATION_DAYS", 14),
    chunkSize: positiveInt(env, "BILLING_CHUNK_SIZE", 30_000),
  };
}
