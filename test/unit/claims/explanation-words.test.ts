import { describe, expect, it } from "vitest";
import { decideClaim } from "../../../src/claims/decide.ts";
import { explainDecision } from "../../../src/claims/explain.ts";
import type { ClaimInput } from "../../../src/claims/types.ts";
import type { PolicyTerms } from "../../../src/policies/cover.ts";
import { defaultCatalog } from "../../../src/products/catalog.ts";
import type { Language } from "../../../src/shared/i18n/index.ts";

/**
 * The explanation's words, read in each language (issue 17 item 8): a rejected line is called
 * rejected, an incident after the end is explained as "ended", one before the start as "not started
 * yet". be-cyber-care is the product read in nl, fr and en.
 */
const be = defaultCatalog().get("be-cyber-care", 1);

const terms: PolicyTerms = {
  startDate: "2026-01-01",
  household: "family",
  endorsements: [],
  endDate: "2026-09-01",
  endReason: "cancelled",
  suspensions: [],
};

/** An undelivered order of 300.00 with 50.00 loss of use, which the product does not cover. */
const claim = (incidentDate: string): ClaimInput => ({
  peril: "online_shopping_non_delivery",
  incidentDate,
  losses: [
    { kind: "purchase_price", amount: 30_000 },
    { kind: "loss_of_use", amount: 5_000 },
  ],
  facts: { proofOfPurchase: true },
});

/** Intl's no-break and narrow no-break spaces read as plain spaces here. */
function texts(incidentDate: string, language: Language): string[] {
  const d = decideClaim(be, terms, claim(incidentDate), 0);
  return explainDecision(be, language, d).steps.map((s) => s.text.replace(/[\u00a0\u202f]/g, " "));
}

describe("the explanation of an accepted and a rejected loss line", () => {
  it("in Dutch: line 1 geaccepteerd, line 2 afgewezen with its reason, payout € 300,00", () => {
    expect(texts("2026-05-10", "nl")).toEqual([
      "Wat u meldt (een online bestelling die niet is geleverd) valt onder rubriek C: Online winkelen.",
      "De verzekering was van kracht op 10 mei 2026 (verzekeringsjaar vanaf 1 januari 2026, gezin).",
      "Geen uitsluiting van toepassing.",
      "Schadepost 1 (aankoopbedrag, € 300,00): geaccepteerd.",
      "Schadepost 2 (gebruiksderving, € 50,00): afgewezen, financiële schade doordat de apparatuur niet gebruikt kon worden is niet verzekerd.",
      "Aanwezig: aankoopbewijs.",
      "Geaccepteerde schade € 300,00 min eigen risico € 0,00 = € 300,00.",
      "Jaarmaximum rubriek C (gezin) € 5.000,00; al uitgekeerd in dit verzekeringsjaar € 0,00; resterend € 5.000,00.",
      "Goedgekeurd: uitkering € 300,00.",
    ]);
  });

  it("in French: poste 1 accepté, poste 2 refusé with its reason, indemnité de 300,00 €", () => {
    expect(texts("2026-05-10", "fr")).toEqual([
      "Ce que vous déclarez (une commande en ligne non livrée) relève de la garantie C : Achats en ligne.",
      "L'assurance était en vigueur le 10 mai 2026 (année d'assurance à partir du 1 janvier 2026, famille).",
      "Aucune exclusion ne s'applique.",
      "Poste de dommage 1 (prix d'achat, 300,00 €) : accepté.",
      "Poste de dommage 2 (privation de jouissance, 50,00 €) : refusé, la perte financière due à l'impossibilité d'utiliser l'appareil n'est pas assurée.",
      "Reçu : preuve d'achat.",
      "Dommage accepté 300,00 € moins la franchise de 0,00 € = 300,00 €.",
      "Plafond annuel de la garantie C (famille) : 5 000,00 € ; déjà payé durant cette année d'assurance : 0,00 € ; solde : 5 000,00 €.",
      "Acceptée : indemnité de 300,00 €.",
    ]);
  });

  it("in English: line 1 accepted, line 2 rejected with its reason, payout €300.00", () => {
    expect(texts("2026-05-10", "en")).toEqual([
      "What you reported (an online order that was not delivered) falls under section C: Online shopping.",
      "The policy was in force on 10 May 2026 (policy year from 1 January 2026, family).",
      "No exclusion applies.",
      "Loss line 1 (purchase price, €300.00): accepted.",
      "Loss line 2 (loss of use, €50.00): rejected, financial loss from not being able to use the device is not covered.",
      "Provided: proof of purchase.",
      "Accepted loss €300.00 minus deductible €0.00 = €300.00.",
      "Annual limit section C (family) €5,000.00; already paid this policy year €0.00; remaining €5,000.00.",
      "Approved: payout €300.00.",
    ]);
  });
});

describe("an incident outside the cover", () => {
  it.each([
    [
      "nl",
      "Op 15 september 2026 was de verzekering beëindigd (einddatum 1 september 2026).",
      "Afgewezen: de verzekering was niet van kracht.",
    ],
    [
      "fr",
      "Le 15 septembre 2026, l'assurance avait pris fin (date de fin : 1 septembre 2026).",
      "Refusée : l'assurance n'était pas en vigueur.",
    ],
    [
      "en",
      "On 15 September 2026 the policy had ended (end date 1 September 2026).",
      "Denied: the policy was not in force.",
    ],
  ] as const)("after the end, in %s, is explained as ended", (language, step, outcome) => {
    expect(texts("2026-09-15", language).slice(1)).toEqual([step, outcome]);
  });

  it.each([
    ["nl", "Op 1 december 2025 was de verzekering nog niet ingegaan (ingangsdatum 1 januari 2026)."],
    ["fr", "Le 1 décembre 2025, l'assurance n'avait pas encore pris effet (date d'effet : 1 janvier 2026)."],
    ["en", "On 1 December 2025 the policy had not started yet (start date 1 January 2026)."],
  ] as const)("before the start, in %s, is explained as not started yet", (language, step) => {
    expect(texts("2025-12-01", language)[1]).toBe(step);
  });

  it("on the end date itself the policy had ended", () => {
    expect(texts("2026-09-01", "en")[1]).toBe(
      "On 1 September 2026 the policy had ended (end date 1 September 2026).",
    );
  });
});

describe("steps a decision leaves out", () => {
  const nl = defaultCatalog().get("nl-cyber", 1);
  const family: PolicyTerms = { ...terms, endDate: null, endReason: null };
  const bullying: ClaimInput = {
    peril: "cyberbullying",
    incidentDate: "2026-05-10",
    losses: [{ kind: "psychological_help", amount: 40_000 }],
    facts: {},
  };

  it("cyberbullying asks for no evidence, so the explanation names none", () => {
    const d = decideClaim(nl, family, bullying, 0);
    expect(d.outcome).toBe("approved");
    expect(d.explanation.map((s) => s.code)).toEqual([
      "section",
      "in_force",
      "no_exclusion",
      "line_accepted",
      "deductible",
      "annual_limit_check",
      "approved",
    ]);
  });

  it("a section without an annual limit for the household is a product error, not a payout", () => {
    const broken = {
      ...nl,
      sections: nl.sections.map((s) => (s.code === "G" ? { ...s, annualLimit: { single: 300_000 } } : s)),
    };
    expect(() => decideClaim(broken, family, bullying, 0)).toThrow(
      new Error("section G has no annual limit for family"),
    );
  });
});
