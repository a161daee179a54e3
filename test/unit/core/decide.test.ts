import { describe, expect, it } from "vitest";
import { decideClaim, limitKey, sectionFor } from "../../../src/claims/decide.ts";
import { explainDecision } from "../../../src/claims/explain.ts";
import type { ClaimInput, Decision, Facts, LossLine } from "../../../src/claims/types.ts";
import type { PolicyTerms } from "../../../src/policies/cover.ts";
import { defaultCatalog } from "../../../src/products/catalog.ts";
import type { ProductDefinition } from "../../../src/products/schema.ts";
import type { Language } from "../../../src/shared/i18n/index.ts";

const nl = defaultCatalog().get("nl-cyber", 1);
const be = defaultCatalog().get("be-cyber-care", 1);

const EUR = 100;
/** Facts that satisfy every evidence requirement of nl-cyber. */
const complete: Facts = { policeReport: true, bankRefusalProof: true };

function terms(overrides: Partial<PolicyTerms> = {}): PolicyTerms {
  return {
    startDate: "2026-01-01",
    household: "family",
    endorsements: [],
    endDate: null,
    endReason: null,
    suspensions: [],
    ...overrides,
  };
}

function claim(
  peril: string,
  losses: [string, number][],
  facts: Facts = complete,
  incidentDate = "2026-05-10",
): ClaimInput {
  return {
    peril,
    incidentDate,
    losses: losses.map(([kind, euros]): LossLine => ({ kind, amount: Math.round(euros * EUR) })),
    facts,
  };
}

function decide(
  c: ClaimInput,
  opts: { product?: ProductDefinition; terms?: Partial<PolicyTerms>; used?: number } = {},
): Decision {
  return decideClaim(opts.product ?? nl, terms(opts.terms), c, opts.used ?? 0);
}

/** The decision's steps as a reader of `language` sees them. */
function texts(d: Decision, language: Language, product: ProductDefinition = nl): string[] {
  return explainDecision(product, language, d).steps.map((s) => s.text);
}

/** Intl writes a no-break space between the euro sign and the amount, and in "1 234,56". */
const nbsp = (s: string) => s.replace(/ /g, "\u00a0");

function expectDenied(d: Decision, reasons: string[]) {
  expect(d.outcome).toBe("denied");
  expect(d.payout).toBe(0);
  expect(d.reasons).toEqual(reasons);
  expect(d.missing).toEqual([]);
}

function expectApproved(d: Decision, payoutEuros: number, reasons: string[] = []) {
  expect(d.outcome).toBe("approved");
  expect(d.payout).toBe(Math.round(payoutEuros * EUR));
  expect(d.reasons).toEqual(reasons);
  expect(d.missing).toEqual([]);
}

describe("step 0: peril", () => {
  it.each([
    [nl, "online_shopping_non_delivery"],
    [nl, "online_shopping_non_conforming"],
    [be, "cyberbullying"],
    [be, "hacking"],
    [be, "identity_theft"],
  ] as const)("%s does not cover %s", (product, peril) => {
    const d = decide(claim(peril, [["purchase_price", 100]], { ...complete, proofOfPurchase: true }), {
      product,
    });
    expectDenied(d, ["not_covered_peril"]);
    expect(d.section).toBeNull();
    expect(d.explanation.map((l) => l.code)).toEqual(["not_covered_peril", "outcome"]);
  });

  it("maps each nl-cyber peril to its section", () => {
    expect(
      [
        "hacking",
        "cyber_extortion",
        "online_purchase_fraud",
        "social_engineering",
        "cyberbullying",
        "identity_theft",
      ].map((p) => sectionFor(nl, p)?.code),
    ).toEqual(["C", "D", "E", "F", "G", "H"]);
    expect(sectionFor(be, "online_shopping_non_conforming")?.code).toBe("C");
  });
});

describe("step 1: cover in force", () => {
  const hack = (date: string) => claim("hacking", [["device_repair", 300]], complete, date);

  it("denies an incident before the start date", () => {
    expectDenied(decide(hack("2025-12-31")), ["not_in_force"]);
    expectApproved(decide(hack("2026-01-01")), 250);
  });

  it("denies an incident on or after the end date of a cancelled or terminated policy", () => {
    for (const endReason of ["cancelled", "terminated"] as const) {
      const t = { endDate: "2026-07-02", endReason };
      expectApproved(decide(hack("2026-07-01"), { terms: t }), 250);
      expectDenied(decide(hack("2026-07-02"), { terms: t }), ["not_in_force"]);
      expectDenied(decide(hack("2027-03-01"), { terms: t }), ["not_in_force"]);
    }
  });

  it("denies an incident inside a suspension, both ends inclusive, and covers the day after", () => {
    const t = { suspensions: [{ from: "2026-03-20", until: "2026-03-25" }] };
    expectApproved(decide(hack("2026-03-19"), { terms: t }), 250);
    expectDenied(decide(hack("2026-03-20"), { terms: t }), ["cover_suspended"]);
    expectDenied(decide(hack("2026-03-25"), { terms: t }), ["cover_suspended"]);
    expectApproved(decide(hack("2026-03-26"), { terms: t }), 250);
  });

  it("denies every incident from an open-ended suspension on", () => {
    const t = { suspensions: [{ from: "2026-03-20", until: null }] };
    expectDenied(decide(hack("2028-01-01"), { terms: t }), ["cover_suspended"]);
  });

  it("checks cover before exclusions and loss lines", () => {
    const d = decide(claim("hacking", [["physical_damage", 300]], { fraud: true }, "2025-06-01"));
    expectDenied(d, ["not_in_force"]);
    expect(d.lines.every((l) => l.reason === null && !l.accepted)).toBe(true);
  });
});

describe("step 2: claim-level exclusions", () => {
  const flags = [
    "war_or_riot",
    "intentional",
    "natural_disaster",
    "nuclear",
    "fraud",
    "gambling",
    "cryptocurrency",
    "nft",
    "jailbroken_device",
    "business_device",
    "large_scale_attack",
  ];
  it.each(flags)("denies the whole claim when %s is true, in both products", (flag) => {
    expectDenied(decide(claim("hacking", [["device_repair", 300]], { ...complete, [flag]: true })), [flag]);
    const shop = claim("online_shopping_non_delivery", [["purchase_price", 300]], {
      proofOfPurchase: true,
      [flag]: true,
    });
    expectDenied(decide(shop, { product: be }), [flag]);
  });

  it("lists every exclusion that applies", () => {
    const d = decide(claim("hacking", [["device_repair", 300]], { ...complete, gambling: true, nft: true }));
    expectDenied(d, ["gambling", "nft"]);
  });

  it("only a literal true triggers an exclusion", () => {
    expectApproved(
      decide(claim("hacking", [["device_repair", 300]], { ...complete, fraud: false, nft: "true" })),
      250,
    );
  });

  it("checks exclusions before the evidence", () => {
    expectDenied(decide(claim("hacking", [["device_repair", 300]], { fraud: true })), ["fraud"]);
  });
});

describe("step 3: loss lines per section", () => {
  it("C hacking pays device repair minus 50", () => {
    expectApproved(decide(claim("hacking", [["device_repair", 300]])), 250);
  });

  it("D cyber extortion pays restoration, and a ransom only with prior consent", () => {
    expectApproved(decide(claim("cyber_extortion", [["device_restoration", 400]])), 350);
    expectApproved(
      decide(claim("cyber_extortion", [["ransom", 1000]], { ...complete, ransomConsent: true })),
      950,
    );
    expectDenied(decide(claim("cyber_extortion", [["ransom", 1000]])), ["ransom_without_consent"]);
    const mixed = decide(
      claim("cyber_extortion", [
        ["device_restoration", 400],
        ["ransom", 1000],
      ]),
    );
    expectApproved(mixed, 350, ["ransom_without_consent"]);
    expect(mixed.lines.map((l) => [l.lineNo, l.accepted, l.reason])).toEqual([
      [1, true, null],
      [2, false, "ransom_without_consent"],
    ]);
  });

  it("E online purchase fraud pays the purchase price unless the bank reimbursed it", () => {
    expectApproved(decide(claim("online_purchase_fraud", [["purchase_price", 800]])), 750);
    expectDenied(
      decide(
        claim("online_purchase_fraud", [["purchase_price", 800]], { ...complete, bankReimbursed: true }),
      ),
      ["bank_reimbursed"],
    );
  });

  it("F social engineering pays the transferred amount unless the bank reimbursed it", () => {
    expectApproved(decide(claim("social_engineering", [["transferred_amount", 800]])), 750);
    expectDenied(
      decide(
        claim("social_engineering", [["transferred_amount", 800]], { ...complete, bankReimbursed: true }),
      ),
      ["bank_reimbursed"],
    );
  });

  it("G cyberbullying pays professional and psychological help minus 100, without a police report", () => {
    expectApproved(
      decide(
        claim(
          "cyberbullying",
          [
            ["professional_assistance", 600],
            ["psychological_help", 400],
          ],
          {},
        ),
      ),
      900,
    );
  });

  it("H identity theft pays legal advice and employment income, not self-employed income", () => {
    expectApproved(
      decide(
        claim("identity_theft", [
          ["legal_advice", 700],
          ["lost_wages", 500],
        ]),
      ),
      1100,
    );
    expectDenied(decide(claim("identity_theft", [["lost_business_income", 700]])), ["self_employed_income"]);
    expectApproved(
      decide(
        claim("identity_theft", [
          ["legal_advice", 700],
          ["lost_business_income", 900],
        ]),
      ),
      600,
      ["self_employed_income"],
    );
  });

  it("be-cyber-care online shopping pays the purchase price without deductible", () => {
    for (const peril of ["online_shopping_non_delivery", "online_shopping_non_conforming"]) {
      const d = decide(claim(peril, [["purchase_price", 120.5]], { proofOfPurchase: true }), { product: be });
      expectApproved(d, 120.5);
      expect(d.section).toBe("C");
    }
  });

  it.each(["physical_damage", "loss_of_use", "mechanical_defect"])(
    "never covers %s, under its own code",
    (kind) => {
      for (const peril of [
        "hacking",
        "cyber_extortion",
        "online_purchase_fraud",
        "social_engineering",
        "cyberbullying",
        "identity_theft",
      ]) {
        expectDenied(decide(claim(peril, [[kind, 500]])), [kind]);
      }
      expectDenied(
        decide(claim("online_shopping_non_delivery", [[kind, 500]], { proofOfPurchase: true }), {
          product: be,
        }),
        [kind],
      );
      expectApproved(
        decide(
          claim("hacking", [
            ["device_repair", 300],
            [kind, 500],
          ]),
        ),
        250,
        [kind],
      );
    },
  );

  it("rejects a loss kind outside the section's list as not_covered_loss", () => {
    expectDenied(decide(claim("hacking", [["purchase_price", 300]])), ["not_covered_loss"]);
    expectDenied(decide(claim("cyberbullying", [["lost_wages", 300]])), ["not_covered_loss"]);
    expectDenied(
      decide(claim("online_shopping_non_delivery", [["device_repair", 300]], { proofOfPurchase: true }), {
        product: be,
      }),
      ["not_covered_loss"],
    );
  });

  it("lists each rejection reason once", () => {
    const d = decide(
      claim("hacking", [
        ["purchase_price", 1],
        ["loss_of_use", 2],
        ["purchase_price", 3],
      ]),
    );
    expectDenied(d, ["not_covered_loss", "loss_of_use"]);
    expect(d.lines.map((l) => l.reason)).toEqual(["not_covered_loss", "loss_of_use", "not_covered_loss"]);
  });
});

describe("step 4: required information", () => {
  it.each(["hacking", "cyber_extortion", "identity_theft"])("%s needs a police report", (peril) => {
    const kind = {
      hacking: "device_repair",
      cyber_extortion: "device_restoration",
      identity_theft: "legal_advice",
    }[peril]!;
    const d = decide(claim(peril, [[kind, 500]], {}));
    expect(d).toMatchObject({ outcome: "needs_information", payout: 0, missing: ["police_report"] });
  });

  it.each([
    ["online_purchase_fraud", "purchase_price"],
    ["social_engineering", "transferred_amount"],
  ])("%s needs a police report and proof that the bank refuses", (peril, kind) => {
    expect(decide(claim(peril, [[kind, 500]], {}))).toMatchObject({
      outcome: "needs_information",
      payout: 0,
      missing: ["police_report", "bank_refusal_proof"],
    });
    expect(decide(claim(peril, [[kind, 500]], { policeReport: true }))).toMatchObject({
      outcome: "needs_information",
      missing: ["bank_refusal_proof"],
    });
    expect(decide(claim(peril, [[kind, 500]], { bankRefusalProof: true }))).toMatchObject({
      outcome: "needs_information",
      missing: ["police_report"],
    });
  });

  it("asks for evidence only for accepted lines", () => {
    // The bank reimbursed the only line: no bank refusal proof and no police report is asked for.
    expectDenied(
      decide(claim("online_purchase_fraud", [["purchase_price", 500]], { bankReimbursed: true })),
      ["bank_reimbursed"],
    );
    // An accepted identity theft line asks only for the police report.
    const d = decide(
      claim(
        "identity_theft",
        [
          ["lost_wages", 500],
          ["physical_damage", 100],
        ],
        {},
      ),
    );
    expect(d).toMatchObject({
      outcome: "needs_information",
      missing: ["police_report"],
      reasons: ["physical_damage"],
    });
    // A rejected be-cyber-care line asks for no proof of purchase.
    expectDenied(decide(claim("online_shopping_non_delivery", [["loss_of_use", 500]], {}), { product: be }), [
      "loss_of_use",
    ]);
  });

  it("be-cyber-care online shopping needs a proof of purchase", () => {
    const d = decide(claim("online_shopping_non_conforming", [["purchase_price", 500]], {}), { product: be });
    expect(d).toMatchObject({ outcome: "needs_information", payout: 0, missing: ["proof_of_purchase"] });
    expect(d.explanation.at(-1)).toMatchObject({ code: "needs_information" });
    expect(texts(d, "nl", be).at(-1)).toContain("aankoopbewijs");
    expect(texts(d, "en", be).at(-1)).toContain("proof of purchase");
  });

  it("re-decides once the information is supplied", () => {
    const c = claim("online_purchase_fraud", [["purchase_price", 500]], {});
    expect(decide(c).outcome).toBe("needs_information");
    expectApproved(decide({ ...c, facts: { policeReport: true, bankRefusalProof: true } }), 450);
  });

  it("asks before applying the deductible", () => {
    expect(decide(claim("hacking", [["device_repair", 10]], {})).outcome).toBe("needs_information");
  });
});

describe("step 5: deductible", () => {
  it("denies a loss that does not exceed the deductible", () => {
    expectDenied(decide(claim("hacking", [["device_repair", 50]])), ["below_deductible"]);
    expectDenied(decide(claim("hacking", [["device_repair", 20]])), ["below_deductible"]);
    expectDenied(
      decide(
        claim("identity_theft", [
          ["legal_advice", 60],
          ["lost_wages", 40],
        ]),
      ),
      ["below_deductible"],
    );
    expectApproved(decide(claim("hacking", [["device_repair", 50.01]])), 0.01);
  });

  it("keeps the rejected lines' reasons", () => {
    expectDenied(
      decide(
        claim("hacking", [
          ["device_repair", 30],
          ["loss_of_use", 500],
        ]),
      ),
      ["loss_of_use", "below_deductible"],
    );
  });
});

describe("step 6: per-event cap", () => {
  it.each([
    ["online_purchase_fraud", "purchase_price", 2000, 1500],
    ["social_engineering", "transferred_amount", 3000, 1500],
    ["identity_theft", "legal_advice", 4000, 2500],
  ])("%s caps at its per-event limit", (peril, kind, loss, cap) => {
    expectApproved(decide(claim(peril, [[kind, loss]])), cap, ["per_event_limit"]);
  });

  it("does not cite the cap when it does not bite", () => {
    expectApproved(decide(claim("online_purchase_fraud", [["purchase_price", 1550]])), 1500);
  });

  it("caps be-cyber-care online shopping at 5,000 per event", () => {
    const d = decide(
      claim("online_shopping_non_delivery", [["purchase_price", 6000]], { proofOfPurchase: true }),
      { product: be },
    );
    expectApproved(d, 5000, ["per_event_limit"]);
  });

  it("has no per-event cap for C, D and G", () => {
    expectApproved(decide(claim("hacking", [["device_repair", 2000]])), 1950);
    expectApproved(decide(claim("cyber_extortion", [["device_restoration", 4000]])), 3950);
    expectApproved(decide(claim("cyberbullying", [["psychological_help", 4000]])), 3900);
  });
});

describe("step 7: annual cap", () => {
  it("caps at what is left of the year's limit", () => {
    expectApproved(decide(claim("hacking", [["device_repair", 300]]), { used: 2400 * EUR }), 100, [
      "annual_limit",
    ]);
    expectApproved(decide(claim("hacking", [["device_repair", 300]]), { used: 2250 * EUR }), 250);
  });

  it("denies once the limit is exhausted, also when used exceeds it", () => {
    expectDenied(decide(claim("hacking", [["device_repair", 300]]), { used: 2500 * EUR }), [
      "annual_limit_exhausted",
    ]);
    expectDenied(decide(claim("hacking", [["device_repair", 300]]), { used: 9999 * EUR }), [
      "annual_limit_exhausted",
    ]);
  });

  it("cites both caps when both bite", () => {
    expectApproved(
      decide(claim("identity_theft", [["legal_advice", 4000]]), {
        terms: { household: "single" },
        used: 2000 * EUR,
      }),
      1500,
      ["per_event_limit", "annual_limit"],
    );
  });

  const singleLimits: [string, string, number][] = [
    ["hacking", "device_repair", 1500],
    ["cyber_extortion", "device_restoration", 2000],
    ["online_purchase_fraud", "purchase_price", 2000],
    ["social_engineering", "transferred_amount", 2500],
    ["cyberbullying", "psychological_help", 3000],
    ["identity_theft", "legal_advice", 3500],
  ];
  it.each(singleLimits)("single %s: the annual limit is %d", (peril, kind, limit) => {
    const used = (limit - 10) * EUR;
    expectApproved(decide(claim(peril, [[kind, 500]]), { terms: { household: "single" }, used }), 10, [
      "annual_limit",
    ]);
    expectDenied(decide(claim(peril, [[kind, 500]]), { terms: { household: "single" }, used: limit * EUR }), [
      "annual_limit_exhausted",
    ]);
  });

  it("be-cyber-care has 5,000 a year", () => {
    const c = claim("online_shopping_non_delivery", [["purchase_price", 300]], { proofOfPurchase: true });
    expectApproved(decide(c, { product: be, used: 4800 * EUR }), 200, ["annual_limit"]);
    expectDenied(decide(c, { product: be, used: 5000 * EUR }), ["annual_limit_exhausted"]);
  });

  it("applies a household endorsement from its effective date on", () => {
    const t = {
      household: "single" as const,
      endorsements: [{ effectiveDate: "2026-06-01", household: "family" as const }],
    };
    const before = decide(claim("hacking", [["device_repair", 2000]], complete, "2026-05-31"), { terms: t });
    expectApproved(before, 1500, ["annual_limit"]);
    expect(before.household).toBe("single");
    const after = decide(claim("hacking", [["device_repair", 2000]], complete, "2026-06-01"), { terms: t });
    expectApproved(after, 1950);
    expect(after.household).toBe("family");
    // What was paid this year keeps counting against the new limit.
    expectApproved(
      decide(claim("hacking", [["device_repair", 2000]], complete, "2026-06-01"), {
        terms: t,
        used: 1500 * EUR,
      }),
      1000,
      ["annual_limit"],
    );
  });

  it("a change to a smaller household can leave the year already exhausted", () => {
    const t = {
      household: "family" as const,
      endorsements: [{ effectiveDate: "2026-06-01", household: "single" as const }],
    };
    expectApproved(
      decide(claim("hacking", [["device_repair", 300]], complete, "2026-05-01"), {
        terms: t,
        used: 1800 * EUR,
      }),
      250,
    );
    expectDenied(
      decide(claim("hacking", [["device_repair", 300]], complete, "2026-06-01"), {
        terms: t,
        used: 1800 * EUR,
      }),
      ["annual_limit_exhausted"],
    );
  });

  it("reports the policy year of the incident, and limitKey keys by section and that year", () => {
    const c = claim("hacking", [["device_repair", 300]], complete, "2027-02-01");
    const t = terms({ startDate: "2026-03-15" });
    const d = decideClaim(nl, t, c, 0);
    expect(d.policyYear).toEqual({ start: "2026-03-15", end: "2027-03-15" });
    expect(limitKey(nl, t, c)).toEqual({ section: "C", policyYearStart: "2026-03-15" });
    expect(limitKey(nl, t, { ...c, incidentDate: "2027-03-15" })).toEqual({
      section: "C",
      policyYearStart: "2027-03-15",
    });
    expect(limitKey(nl, t, { ...c, incidentDate: "2026-03-14" })).toBeNull();
    expect(limitKey(be, t, c)).toBeNull();
  });
});

describe("explanation", () => {
  it("has Dutch and English text for every step, with the amounts", () => {
    const d = decide(
      claim("online_purchase_fraud", [
        ["purchase_price", 2000],
        ["loss_of_use", 100],
      ]),
      {
        terms: { household: "single" },
        used: 1000 * EUR,
      },
    );
    expectApproved(d, 1000, ["loss_of_use", "per_event_limit", "annual_limit"]);
    const [nlTexts, enTexts] = [texts(d, "nl"), texts(d, "en")];
    nlTexts.forEach((nlText, i) => {
      expect(nlText.length).toBeGreaterThan(0);
      expect(enTexts[i]!.length).toBeGreaterThan(0);
      expect(nlText).not.toBe(enTexts[i]);
    });
    expect(d.explanation.map((l) => l.step)).toEqual([0, 1, 2, 3, 3, 4, 5, 6, 7, 8]);
    expect(d.explanation.map((l) => l.code)).toEqual([
      "section",
      "in_force",
      "no_exclusion",
      "line_accepted",
      "line_rejected",
      "evidence_complete",
      "deductible",
      "per_event_limit",
      "annual_limit_check",
      "approved",
    ]);
    const nlText = nlTexts.join("\n");
    const enText = enTexts.join("\n");
    for (const amount of ["€ 2.000,00", "€ 100,00", "€ 50,00", "€ 1.950,00", "€ 1.500,00", "€ 1.000,00"]) {
      expect(nlText).toContain(nbsp(amount));
    }
    for (const amount of ["€2,000.00", "€100.00", "€50.00", "€1,950.00", "€1,500.00", "€1,000.00"]) {
      expect(enText).toContain(amount);
    }
    expect(enText).toContain("€2,000.00"); // the annual limit of E for a single household
    expect(nlText).toContain("alleenstaand");
  });

  it("explains a denial with the reason in words", () => {
    const d = decide(claim("hacking", [["device_repair", 300]], { ...complete, gambling: true }));
    expect(d.explanation.at(-1)!.code).toBe("outcome");
    expect(texts(d, "nl").at(-1)).toContain("gokken");
    expect(texts(d, "en").at(-1)).toContain("gambling");
    const suspended = decide(claim("hacking", [["device_repair", 300]], complete, "2026-03-21"), {
      terms: { suspensions: [{ from: "2026-03-20", until: "2026-03-25" }] },
    });
    expect(suspended.explanation.map((l) => l.code)).toEqual(["section", "cover_suspended", "outcome"]);
    expect(texts(suspended, "en")[1]).toContain("25 March 2026");
  });

  it("every decision explains itself in both languages", () => {
    const samples: Decision[] = [
      decide(claim("hacking", [["device_repair", 20]])),
      decide(claim("hacking", [["device_repair", 300]], {})),
      decide(claim("hacking", [["device_repair", 300]]), { used: 2500 * EUR }),
      decide(claim("hacking", [["device_repair", 300]], complete, "2020-01-01")),
      decide(claim("cyber_extortion", [["ransom", 300]])),
    ];
    for (const d of samples) {
      expect(d.explanation.length).toBeGreaterThan(0);
      for (const language of ["nl", "en"] as const) {
        for (const text of texts(d, language)) expect(text.trim()).not.toBe("");
      }
    }
    const textOf = (d: Decision | undefined, code: string, language: Language) =>
      texts(d!, language)[d!.explanation.findIndex((l) => l.code === code)];
    expect(textOf(samples[0], "deductible", "nl")).toContain(nbsp("€ 50,00"));
    expect(textOf(samples[2], "annual_limit_check", "en")).toContain("€2,500.00");
  });
});
