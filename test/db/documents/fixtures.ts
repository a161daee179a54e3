import { premiumDefaultLetter } from "../../../src/billing/dunning/letters.ts";
import { registerMandate } from "../../../src/billing/mandates.ts";
import { fileClaim } from "../../../src/claims/service.ts";
import type { Db } from "../../../src/db/connection.ts";
import { recordPremiumReminder } from "../../../src/policies/premium-default.ts";
import { bindPolicy } from "../../../src/policies/service.ts";
import { catalog, ctxOn, inTx } from "../services/helpers.ts";

/** A Belgian policyholder reading French, with a mandate, a decided claim and a formal notice. */
export async function belgianHousehold(db: Db, email = "claire@example.org") {
  const policy = await inTx(db, (tx) =>
    bindPolicy(tx, ctxOn("2026-01-01"), {
      productCode: "be-cyber-care",
      party: { name: "Claire Dubois", email, country: "BE" },
      household: "family",
      startDate: "2026-01-01",
      paymentFrequency: "monthly",
      paymentMethod: "sepa_direct_debit",
      language: "fr",
    }),
  );
  await inTx(db, (tx) =>
    registerMandate(tx, ctxOn("2026-01-01"), {
      policyId: policy.id,
      accountHolder: "Claire Dubois",
      iban: "BE68539007547034",
      signedOn: "2026-01-01",
      consentText: "I authorise Cyberpolis to collect the premium.",
    }),
  );
  const claim = await inTx(db, (tx) =>
    fileClaim(tx, ctxOn("2026-02-10"), {
      policyId: policy.id,
      peril: "online_shopping_non_delivery",
      incidentDate: "2026-02-08",
      reportedDate: "2026-02-10",
      losses: [{ kind: "purchase_price", amount: 12_345 }],
      facts: { proofOfPurchase: true },
    }),
  );
  const letter = await inTx(db, async (tx) => {
    const { reminder } = await recordPremiumReminder(tx, ctxOn("2026-03-05"), {
      policyId: policy.id,
      dueDate: "2026-03-01",
      reminderDate: "2026-03-05",
      amount: 499,
    });
    const l = premiumDefaultLetter({
      product: catalog.get("be-cyber-care", 1),
      policyNumber: policy.number,
      recipient: "Claire Dubois",
      reference: "INV-1",
      amount: 499,
      periodStart: "2026-03-01",
      periodEnd: "2026-03-31",
      letterDate: "2026-03-05",
      dueDate: "2026-03-01",
      language: "fr",
      country: "BE",
      returnReason: "AM04",
      payTo: { name: "Cyberpolis", iban: "BE71096123456769" },
    });
    return tx
      .insertInto("premium_letters")
      .values({
        policy_id: policy.id,
        reminder_id: reminder.id,
        adjustment_id: null,
        kind: l.kind,
        language: l.language,
        recipient: "Claire Dubois",
        subject: l.subject,
        body: l.body,
        letter_date: "2026-03-05",
        suspension_from: l.suspensionFrom,
        created_at: new Date("2026-03-05T12:00:00Z"),
        sent_at: null,
      })
      .returning(["id", "subject"])
      .executeTakeFirstOrThrow();
  });
  return { policy, claim, letter };
}
