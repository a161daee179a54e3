import { composeIBAN } from "ibantools";
import { registerMandate } from "../../../src/billing/mandates.ts";
import type { Tx } from "../../../src/db/schema.ts";
import { bindPolicy } from "../../../src/policies/service.ts";
import type { PaymentFrequency, PaymentMethod } from "../../../src/products/schema.ts";
import type { Ctx } from "../../../src/shared/context.ts";
import { minDate } from "../../../src/shared/dates.ts";

/** A valid Dutch IBAN per debtor number (mod-97 check digits computed by ibantools). */
export function ibanFor(i: number): string {
  return composeIBAN({ countryCode: "NL", bban: `ABNA${String(i).padStart(10, "0")}` })!;
}

export interface SeedPolicy {
  startDate: string;
  frequency?: PaymentFrequency;
  method?: PaymentMethod;
  household?: "single" | "family";
  product?: string;
  mandate?: boolean;
}

/** Binds a policy through the policies service and, for direct debit, registers its mandate. */
export async function seedPolicy(tx: Tx, ctx: Ctx, p: SeedPolicy, i = 0) {
  const method = p.method ?? "sepa_direct_debit";
  const policy = await bindPolicy(tx, ctx, {
    productCode: p.product ?? "nl-cyber",
    party: { name: `Klant ${i}` },
    household: p.household ?? "single",
    startDate: p.startDate,
    paymentFrequency: p.frequency ?? "monthly",
    paymentMethod: method,
  });
  if (method === "sepa_direct_debit" && p.mandate !== false) {
    await registerMandate(tx, ctx, {
      policyId: policy.id,
      accountHolder: `Klant ${i}`,
      iban: ibanFor(i),
      // Signed at binding: a mandate can't be signed later than the clock says it is now.
      signedOn: minDate(p.startDate, ctx.now.toISOString().slice(0, 10)),
      consentText: "Ik machtig Cyberpolis om de premie af te schrijven.",
    });
  }
  return policy;
}
