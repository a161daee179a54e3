import { registerMandate } from "../billing/index.ts";
import { fileClaim, supplyClaimFacts } from "../claims/index.ts";
import type { Tx } from "../db/schema.ts";
import { cancelPolicyWithBilling } from "../flows/cancel-policy.ts";
import { changeHouseholdWithBilling } from "../flows/change-household.ts";
import { createUser, type Role } from "../identity/index.ts";
import {
  type BindPolicyInput,
  bindPolicy,
  recordPremiumPayment,
  recordPremiumReminder,
} from "../policies/index.ts";
import type { Ctx } from "../shared/context.ts";
import { addDays, addMonths, type IsoDate, maxDate, minDate } from "../shared/dates.ts";
import { seedHelplineDemo } from "./helpline.ts";

/**
 * Demo data, created through the same service functions as the API (never raw inserts of
 * business rows), so it is as consistent as real data: audit trail, limits, suspensions.
 * The password is a published demo string, printed at start; it protects nothing real.
 */
export const DEMO_PASSWORD = "cyberpolis-demo";

export interface DemoLogin {
  email: string;
  role: Role;
  name: string;
}

const CONSENT =
  "Door ondertekening van dit formulier geeft u toestemming aan cyberpolis om doorlopende incasso-opdrachten " +
  "te sturen naar uw bank om een bedrag van uw rekening af te schrijven, en aan uw bank om doorlopend een " +
  "bedrag van uw rekening af te schrijven overeenkomstig de opdracht van cyberpolis.";

/** Seeds households, policies, premium notices, claims in every reachable state and staff users. */
export async function seedDemo(tx: Tx, ctx: Ctx, today: IsoDate): Promise<DemoLogin[]> {
  const logins: DemoLogin[] = [];
  // Policies start within the products' validity, far enough back to have a history.
  const start = (monthsAgo: number) => maxDate(addMonths(today, -monthsAgo), "2026-01-01");
  const on = (from: IsoDate, days: number) => minDate(addDays(from, days), today);

  async function household(
    name: string,
    email: string,
    terms: Omit<BindPolicyInput, "party">,
    mandate?: { iban: string },
  ) {
    const policy = await bindPolicy(tx, ctx, { ...terms, party: { name, email } });
    if (mandate) {
      await registerMandate(tx, ctx, {
        policyId: policy.id,
        accountHolder: name,
        iban: mandate.iban,
        // Signed at binding, and never after today: the bank rule refuses a future signature.
        signedOn: minDate(terms.startDate, today),
        consentText: CONSENT,
      });
    }
    await createUser(tx, ctx, {
      email,
      password: DEMO_PASSWORD,
      role: "policyholder",
      displayName: name,
      partyId: policy.party_id,
    });
    logins.push({ email, role: "policyholder", name });
    return policy;
  }

  // Anna: single, monthly by direct debit; one claim paid, one waiting for a police report.
  const annaStart = start(9);
  const anna = await household(
    "Anna de Vries",
    "anna@demo.cyberpolis.test",
    {
      productCode: "nl-cyber",
      household: "single",
      startDate: annaStart,
      paymentFrequency: "monthly",
      paymentMethod: "sepa_direct_debit",
    },
    { iban: "NL91ABNA0417164300" },
  );
  const hacked = on(annaStart, 40);
  await fileClaim(tx, ctx, {
    policyId: anna.id,
    peril: "hacking",
    incidentDate: hacked,
    reportedDate: on(hacked, 1),
    losses: [{ kind: "device_repair", amount: 48_000 }],
    facts: { policeReport: true },
  });
  const laptop = on(annaStart, 120);
  await fileClaim(tx, ctx, {
    policyId: anna.id,
    peril: "hacking",
    incidentDate: laptop,
    reportedDate: laptop,
    losses: [{ kind: "device_repair", amount: 30_000 }],
    facts: {},
  });

  // The Jansens: bought single, became a family; a crypto loss refused, a report supplied later.
  const jansenStart = start(10);
  const jansen = await household("Pieter Jansen", "pieter@demo.cyberpolis.test", {
    productCode: "nl-cyber",
    household: "single",
    startDate: jansenStart,
    paymentFrequency: "annual",
    paymentMethod: "bank_transfer",
  });
  await changeHouseholdWithBilling(tx, ctx, {
    policyId: jansen.id,
    effectiveDate: on(jansenStart, 31),
    household: "family",
  });
  const scam = on(jansenStart, 60);
  await fileClaim(tx, ctx, {
    policyId: jansen.id,
    peril: "social_engineering",
    incidentDate: scam,
    reportedDate: scam,
    losses: [{ kind: "transferred_amount", amount: 70_000 }],
    facts: { policeReport: true, bankReimbursed: false, bankRefusalProof: true, cryptocurrency: true },
  });
  const extortion = on(jansenStart, 90);
  const filed = await fileClaim(tx, ctx, {
    policyId: jansen.id,
    peril: "cyber_extortion",
    incidentDate: extortion,
    reportedDate: extortion,
    losses: [{ kind: "device_restoration", amount: 30_000 }],
    facts: {},
  });
  await supplyClaimFacts(tx, ctx, {
    claimId: filed.claim.id,
    facts: { policeReport: true },
    date: on(extortion, 7),
  });

  // Sophie (Belgium, partner invoice, reads French): an undelivered web-shop order waiting for
  // proof of purchase.
  const sophieStart = start(6);
  const sophie = await household("Sophie Lambert", "sophie@demo.cyberpolis.test", {
    productCode: "be-cyber-care",
    language: "fr",
    household: "family",
    startDate: sophieStart,
    paymentFrequency: "monthly",
    paymentMethod: "partner_invoice",
  });
  const order = on(sophieStart, 20);
  await fileClaim(tx, ctx, {
    policyId: sophie.id,
    peril: "online_shopping_non_delivery",
    incidentDate: order,
    reportedDate: order,
    losses: [{ kind: "purchase_price", amount: 35_000 }],
    facts: {},
  });

  // Mark: quarterly direct debit, one premium left unpaid past its reminder, then paid.
  const markStart = start(8);
  const mark = await household(
    "Mark Bos",
    "mark@demo.cyberpolis.test",
    {
      productCode: "nl-cyber",
      household: "single",
      startDate: markStart,
      paymentFrequency: "quarterly",
      paymentMethod: "sepa_direct_debit",
    },
    { iban: "NL44RABO0123456789" },
  );
  const due = on(markStart, 92);
  await recordPremiumReminder(tx, ctx, { policyId: mark.id, dueDate: due, reminderDate: on(due, 14) });
  await recordPremiumPayment(tx, ctx, { policyId: mark.id, receivedOn: on(due, 60) });
  // …and a second premium still open today.
  const due2 = on(markStart, 183);
  await recordPremiumReminder(tx, ctx, { policyId: mark.id, dueDate: due2, reminderDate: on(due2, 14) });

  // Lotte: cancelled halfway through the year, with a pro-rata refund.
  const lotteStart = start(7);
  const lotte = await household("Lotte Smit", "lotte@demo.cyberpolis.test", {
    productCode: "nl-cyber",
    household: "family",
    startDate: lotteStart,
    paymentFrequency: "annual",
    paymentMethod: "bank_transfer",
  });
  const asked = on(lotteStart, 150);
  await cancelPolicyWithBilling(tx, ctx, {
    policyId: lotte.id,
    requestedOn: asked,
    effective: on(asked, 30),
  });

  const staff: [Role, string, string][] = [
    ["helpline_agent", "helpline@demo.cyberpolis.test", "Hanna Hulp"],
    ["helpline_supervisor", "supervisor@demo.cyberpolis.test", "Sven Toezicht"],
    ["claims_handler", "claims@demo.cyberpolis.test", "Koen Schade"],
    ["finance", "finance@demo.cyberpolis.test", "Femke Geld"],
    ["admin", "admin@demo.cyberpolis.test", "Ada Beheer"],
  ];
  for (const [role, email, name] of staff) {
    await createUser(tx, ctx, { email, password: DEMO_PASSWORD, role, displayName: name });
    logins.push({ email, role, name });
  }
  await seedHelplineDemo(tx, ctx, { anna, jansen, sophie, mark, lotte });
  return logins;
}
