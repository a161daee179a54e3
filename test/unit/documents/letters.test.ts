import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fonts } from "../../../src/documents/fonts.ts";
import { ipidContent } from "../../../src/documents/ipid.ts";
import {
  cancellationLetter,
  decisionLetter,
  refundLetter,
  textLetter,
} from "../../../src/documents/letters.ts";
import { renderDocument } from "../../../src/documents/render.ts";
import { scheduleContent } from "../../../src/documents/schedule.ts";
import { defaultCatalog } from "../../../src/products/catalog.ts";
import { quote } from "../../../src/products/quote.ts";
import { money } from "../../../src/shared/i18n/index.ts";
import { missingInOrder, readPdf, squash } from "../../support/pdf.ts";

const nl = defaultCatalog().get("nl-cyber", 1);
const be = defaultCatalog().get("be-cyber-care", 1);
const head = {
  insurer: "Cyberpolis Verzekeringen N.V.",
  recipient: "Alice Aalders",
  policyNumber: "NL-000123",
  date: "2026-03-15",
};

describe("letters as PDF, read back with pdftotext", () => {
  it("the decision letter in English: outcome, payout, each step numbered, what next, the complaint route", async () => {
    const c = decisionLetter(
      {
        ...head,
        language: "en",
        country: "NL",
        product: nl,
        claimNumber: "CL-42",
        incidentDate: "2026-03-10",
      },
      {
        outcome: "denied",
        payout: 0,
        missing: [],
        explanation: [
          { step: 1, code: "section", params: { peril: "hacking", section: "C" } },
          { step: 3, code: "excluded", params: { exclusions: ["gambling"] } },
          { step: 8, code: "outcome", params: { reasons: ["gambling"] } },
        ],
      },
    );
    const pdf = readPdf(await renderDocument(c, fonts()));
    expect(
      missingInOrder(pdf.text, [
        "Cyberpolis Verzekeringen N.V.",
        "Alice Aalders",
        "Date: 15 March 2026",
        "Policy number: NL-000123",
        "Decision on your claim CL-42",
        "Dear Alice Aalders,",
        "denied",
        "This is how we reached this decision:",
        "1. ",
        "Damage from hacking",
        "2. ",
        "gambling",
        "3. ",
        "Kifid",
      ]),
    ).toBeNull();
    expect(pdf.text).not.toContain("Payout:");
  });

  it("the refund notice and the credit note name the amount and why", async () => {
    const refund = refundLetter({
      ...head,
      language: "nl",
      country: "NL",
      kind: "refund",
      reason: "household_change",
      effectiveDate: "2026-04-01",
      amount: 1234,
    });
    const text = readPdf(await renderDocument(refund, fonts())).text;
    expect(
      missingInOrder(text, ["Terugbetaling premie polis NL-000123", "1 april 2026", "€ 12,34"]),
    ).toBeNull();
    const credit = refundLetter({
      ...head,
      language: "fr",
      country: "BE",
      kind: "credit_note",
      reason: "cancellation",
      effectiveDate: "2026-04-01",
      amount: 499,
    });
    expect(readPdf(await renderDocument(credit, fonts())).text).toContain(
      "Nous déduisons 4,99 € de votre prochaine prime",
    );
  });

  it("the cancellation confirmation: request date, end date and the refund, or that there is none", async () => {
    const c = cancellationLetter({
      ...head,
      language: "nl",
      country: "BE",
      productName: "Cyber Care",
      requestedOn: "2026-04-10",
      endDate: "2026-04-30",
      refund: 250,
    });
    expect(
      missingInOrder(readPdf(await renderDocument(c, fonts())).text, [
        "10 april 2026",
        "30 april 2026",
        "€ 2,50",
      ]),
    ).toBeNull();
    const none = cancellationLetter({
      ...head,
      language: "en",
      country: "BE",
      productName: "Cyber Care",
      requestedOn: "2026-04-10",
      endDate: "2026-04-30",
      refund: 0,
    });
    expect(readPdf(await renderDocument(none, fonts())).text).toContain("There is no premium to refund.");
  });

  it("a premium letter keeps billing's paragraphs as written", async () => {
    const body =
      "Geachte Alice Aalders,\n\nWij hebben de premie van € 6,00 niet ontvangen.\n\nMet vriendelijke groet,\nCyberpolis";
    const c = textLetter(
      { ...head, language: "nl", country: "NL" },
      "Herinnering: onbetaalde premie polis NL-000123",
      body,
    );
    expect(
      missingInOrder(readPdf(await renderDocument(c, fonts())).text, [
        c.subject,
        ...body.split("\n\n").map(squash),
      ]),
    ).toBeNull();
  });

  it("the schedule shows the premium of every frequency as billing prices it, and the masked IBAN only", async () => {
    for (const frequency of ["annual", "half_yearly", "quarterly", "monthly"] as const) {
      const c = scheduleContent({
        product: nl,
        language: "nl",
        insurer: nl.insurer.name,
        policy: {
          number: "NL-1",
          version: 1,
          startDate: "2026-01-01",
          endDate: null,
          household: "single",
          inForce: "single",
          householdChanges: [],
          paymentFrequency: frequency,
          paymentMethod: "sepa_direct_debit",
        },
        holder: { name: "Alice Aalders", email: null },
        mandate: { reference: "M-1", maskedIban: "NL91**********4300", accountHolder: "Alice Aalders" },
        asOf: "2026-01-01",
        answers: [],
      });
      const q = quote(nl, {
        household: "single",
        paymentFrequency: frequency,
        paymentMethod: "sepa_direct_debit",
      });
      const text = readPdf(await renderDocument(c, fonts())).text;
      expect(text).toContain(squash(money("nl-NL", q.installment)));
      expect(text).toContain(squash(money("nl-NL", q.annualTotal)));
      expect(text).toContain("NL91**********4300");
    }
  });
});

describe("IPID content (property)", () => {
  it("names every limit and deductible a product version could have, in the reader's money format", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 99_999_999 }),
        fc.integer({ min: 1, max: 99_999 }),
        fc.constantFrom(...(["nl", "fr", "en"] as const)),
        (limit, deductible, lang) => {
          const product = structuredClone(be);
          const c = product.sections.find((s) => s.code === "C");
          if (c?.kind !== "indemnity") throw new Error("no section C");
          c.annualLimit.family = limit;
          c.deductible = deductible;
          const content = ipidContent(product, lang);
          const text = squash(
            content.sections.flatMap((s) => s.items.map((i) => `${i.lead} ${i.text}`)).join(" "),
          );
          const locale = content.locale;
          expect(text).toContain(squash(money(locale, limit)));
          expect(text).toContain(squash(money(locale, deductible)));
        },
      ),
      { numRuns: 200 },
    );
  });
});
