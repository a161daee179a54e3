import { describe, expect, it } from "vitest";
import { chargePaymentRequest, chargePreNotification } from "../../../src/billing/dunning/charge-letters.ts";
import { type LetterInput, premiumDefaultLetter } from "../../../src/billing/dunning/letters.ts";
import { setAsidePaymentRequest } from "../../../src/billing/dunning/set-aside-letter.ts";
import { defaultCatalog } from "../../../src/products/catalog.ts";
import { LANGUAGES, type Language } from "../../../src/shared/i18n/index.ts";

const nl = defaultCatalog().get("nl-cyber", 1);
const be = defaultCatalog().get("be-cyber-care", 1);

function input(product: typeof nl, language: Language, returnReason: string | null = null): LetterInput {
  return {
    product,
    policyNumber: "BE-P00000042",
    recipient: "Sophie Lambert",
    reference: "BE-P00000042-2026-02",
    amount: 123_456,
    periodStart: "2026-02-01",
    periodEnd: "2026-02-28",
    letterDate: "2026-02-20",
    dueDate: "2026-02-01",
    language,
    country: product.country,
    returnReason,
    payTo: { name: "Cyberpolis", iban: "NL91ABNA0417164300" },
  };
}

const charge = {
  policyNumber: "NL-P00000007",
  recipient: "Pieter Jansen",
  reference: "NL-P00000007-C3",
  amount: 1_250,
  periodStart: "2026-01-01",
  periodEnd: "2026-12-31",
  letterDate: "2026-03-01",
  dueDate: "2026-03-15",
  effectiveDate: "2026-02-10",
  country: "NL",
};

describe("premium letters in the policyholder's language", () => {
  it("writes the Belgian formal notice in French with French dates, amounts and legal basis", () => {
    const l = premiumDefaultLetter(input(be, "fr", "AM04"));
    expect(l).toMatchObject({ kind: "formal_notice", language: "fr", suspensionFrom: "2026-03-08" });
    expect(l.subject).toBe("Mise en demeure : prime impayée, police BE-P00000042");
    expect(l.body).toContain("1\u202f234,56\u00a0€");
    expect(l.body).toContain("du 1 février 2026 au 28 février 2026");
    expect(l.body).toContain("délai de 15 jours");
    expect(l.body).toContain("au plus tard le 7 mars 2026");
    expect(l.body).toContain("suspendue à partir du 8 mars 2026");
    expect(l.body).toContain("AM04 : le solde était insuffisant");
    expect(l.body).toContain(be.premiumDefault.legalBasis.fr);
    expect(l.body).not.toMatch(/\d{4}-\d{2}-\d{2}|ingebrekestelling|\{\{/);
  });

  it("writes the Dutch reminder as before, and the same letter in English", () => {
    const dutch = premiumDefaultLetter(input(nl, "nl"));
    expect(dutch.subject).toBe("Herinnering: onbetaalde premie polis BE-P00000042");
    expect(dutch.body).toContain("geschorst vanaf 7 maart 2026, de 15e dag na deze herinnering");
    expect(dutch.body).toContain("€\u00a01.234,56");
    const english = premiumDefaultLetter(input(nl, "en"));
    expect(english.subject).toBe("Reminder: unpaid premium, policy BE-P00000042");
    expect(english.body).toContain("suspended from 7 March 2026, day 15 after this reminder");
    expect(english.body).toContain("€1,234.56");
    expect(english.body).toContain(nl.premiumDefault.legalBasis.en);
  });

  it("names an unknown bank return code and points to the bank statement", () => {
    expect(premiumDefaultLetter(input(nl, "en", "XX99")).body).toContain(
      "reason XX99: see your bank statement",
    );
  });

  it("every letter exists in every language, with no text left in another", () => {
    for (const language of LANGUAGES) {
      const letters = [
        premiumDefaultLetter(input(nl, language, "MD06")),
        premiumDefaultLetter(input(be, language, "MD06")),
        chargePreNotification({
          ...charge,
          language,
          mandateReference: "NL-P00000007-M0",
          iban: "NL91ABNA0417164300",
          creditorId: "NL98ZZZ999999999999",
        }),
        chargePaymentRequest({
          ...charge,
          language,
          payTo: { name: "Cyberpolis", iban: "NL91ABNA0417164300" },
        }),
      ];
      for (const l of letters) {
        expect(l.language).toBe(language);
        expect(l.body).not.toMatch(/\{\{|\d{4}-\d{2}-\d{2}|letter\./);
      }
      const bodies = letters.map((l) => l.body).join("\n");
      const foreign = { nl: ["Dear", "Madame"], fr: ["Geachte", "Dear"], en: ["Geachte", "Madame"] }[
        language
      ];
      for (const word of foreign) expect(bodies).not.toContain(word);
    }
  });

  it("masks the IBAN in a pre-notification and states the refund right", () => {
    const l = chargePreNotification({
      ...charge,
      language: "fr",
      mandateReference: "NL-P00000007-M0",
      iban: "NL91ABNA0417164300",
      creditorId: "NL98ZZZ999999999999",
    });
    expect(l.subject).toBe("Annonce de domiciliation : prime complémentaire, police NL-P00000007");
    expect(l.body).not.toContain("NL91ABNA0417164300");
    expect(l.body).toContain("dans les 8 semaines");
    expect(l.body).toContain("12,50\u00a0€");
  });

  it("asks for a transfer and a new mandate when a direct debit was set aside, in each language", () => {
    const words = {
      nl: ["niet automatisch afschrijven", "nieuwe machtiging", "€\u00a012,50", "15 maart 2026"],
      fr: ["prélever automatiquement", "nouveau mandat", "12,50\u00a0€", "15 mars 2026"],
      en: ["by direct debit", "new mandate", "€12.50", "15 March 2026"],
    } as const;
    for (const language of LANGUAGES) {
      const l = setAsidePaymentRequest({
        ...charge,
        language,
        payTo: { name: "Cyberpolis", iban: "NL91ABNA0417164300" },
      });
      expect(l).toMatchObject({ kind: "payment_request", language });
      for (const w of words[language]) expect(l.body).toContain(w);
      expect(l.body).toContain("NL-P00000007-C3");
      expect(l.body).not.toMatch(/\{\{|\d{4}-\d{2}-\d{2}|letter\./);
    }
  });
});
