import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, rowCounts, startTestApp, type TestApp } from "./helpers.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const careApply = {
  product: "be-cyber-care",
  household: "family",
  startDate: "2026-01-10",
  paymentFrequency: "monthly",
  paymentMethod: "partner_invoice",
};

type Step = { number: number; step: number; code: string; params: Record<string, unknown>; text: string };
const texts = (d: { explanation: Step[] }) => d.explanation.map((s) => s.text).join("\n");

describe("the policyholder's language", () => {
  it("is chosen at bind time among the product's languages, and refused otherwise, changing nothing", async () => {
    const before = await rowCounts(t.db);
    const english = await call(t.app, t.staff.helpline_agent, "POST", "/api/policies", {
      ...careApply,
      party: { name: "Emma Evans" },
      language: "en",
    });
    expect(english.statusCode).toBe(422);
    expect(english.json()).toMatchObject({ code: "language_not_offered", errors: [{ path: "language" }] });
    const german = await call(t.app, t.staff.helpline_agent, "POST", "/api/policies", {
      ...careApply,
      party: { name: "Emma Evans" },
      language: "de",
    });
    expect(german.statusCode).toBe(400);
    expect(german.json()).toMatchObject({ code: "validation_failed", errors: [{ path: "language" }] });
    expect(await rowCounts(t.db)).toEqual(before);

    const defaulted = await call(t.app, t.staff.helpline_agent, "POST", "/api/policies", {
      ...careApply,
      party: { name: "Jan Janssens" },
    });
    expect(defaulted.json().holder.language).toBe("nl");
  });

  it("explains a French-speaking Belgian's claim in French, with the Belgian ombudsman, unless asked otherwise", async () => {
    const bound = await call(t.app, t.staff.helpline_agent, "POST", "/api/policies", {
      ...careApply,
      party: { name: "Sophie Lambert" },
      language: "fr",
    });
    expect(bound.statusCode).toBe(201);
    expect(bound.json().holder.language).toBe("fr");
    const filed = await call(t.app, t.staff.helpline_agent, "POST", "/api/claims", {
      policyId: bound.json().id,
      peril: "online_shopping_non_delivery",
      incidentDate: "2026-03-01",
      losses: [{ kind: "purchase_price", amount: "1234.56" }],
    });
    expect(filed.statusCode).toBe(201);
    const d = filed.json().decision;
    expect(d).toMatchObject({ outcome: "needs_information", language: "fr", missing: ["proof_of_purchase"] });
    expect(d.explanation.map((s: Step) => s.number)).toEqual(
      d.explanation.map((_: Step, i: number) => i + 1),
    );
    expect(d.explanation[0]).toMatchObject({
      code: "section",
      params: { peril: "online_shopping_non_delivery", section: "C" },
    });
    const fr = texts(d);
    expect(fr).toContain("une commande en ligne non livrée");
    expect(fr).toContain("1\u202f234,56\u00a0€");
    expect(fr).toContain("1 mars 2026");
    expect(fr).toContain("preuve d'achat");
    expect(fr).not.toMatch(/online_shopping|purchase_price|\d{4}-\d{2}-\d{2}/);
    expect(d.nextStep).toContain("envoyez-nous preuve d'achat");
    expect(d.complaints).toContain("Ombudsman des Assurances");

    // The same stored decision, read by someone who asks for English or Dutch.
    const id = filed.json().id;
    const en = (
      await call(t.app, t.staff.claims_handler, "GET", `/api/claims/${id}`, undefined, {
        "accept-language": "en-GB,en;q=0.9",
      })
    ).json().decision;
    expect(en.language).toBe("en");
    expect(texts(en)).toContain("€1,234.56");
    expect(texts(en)).toContain("1 March 2026");
    expect(en.explanation.map((s: Step) => s.params)).toEqual(d.explanation.map((s: Step) => s.params));
    const nl = (
      await call(t.app, t.staff.claims_handler, "GET", `/api/claims/${id}/decision`, undefined, {
        "accept-language": "nl-BE",
      })
    ).json();
    expect(nl.decision.language).toBe("nl");
    expect(nl.decision.complaints).toContain("Ombudsman van de Verzekeringen");
    expect(nl.history.map((h: { language: string }) => h.language)).toEqual(["nl"]);
    // Without Accept-Language: the policyholder's own language.
    const own = (await call(t.app, t.staff.claims_handler, "GET", `/api/claims/${id}`)).json().decision;
    expect(own).toEqual(d);
  });

  it("explains a Dutch policy's denial in Dutch words, numbered as shown, ending with Kifid", async () => {
    const filed = await call(t.app, t.alice, "POST", "/api/claims", {
      policyId: t.alice.policyId,
      peril: "online_shopping_non_delivery",
      incidentDate: "2026-03-01",
      losses: [{ kind: "purchase_price", amount: "80.00" }],
    });
    const d = filed.json().decision;
    expect(d).toMatchObject({ outcome: "denied", language: "nl", reasons: ["not_covered_peril"] });
    expect(d.explanation.map((s: Step) => [s.number, s.code])).toEqual([
      [1, "not_covered_peril"],
      [2, "outcome"],
    ]);
    expect(texts(d)).toContain("een online bestelling die niet is geleverd");
    expect(texts(d)).not.toContain("online_shopping_non_delivery");
    expect(d.nextStep).toMatch(/^Wat nu:/);
    expect(d.complaints).toContain("Kifid");
  });
});

describe("decisions stored before explanations were codes", () => {
  it("are shown as they were written, in Dutch or English", async () => {
    const filed = await call(t.app, t.bob, "POST", "/api/claims", {
      policyId: t.bob.policyId,
      peril: "online_shopping_non_delivery",
      incidentDate: "2026-03-01",
      losses: [{ kind: "purchase_price", amount: "80.00" }],
    });
    const id = filed.json().id;
    const legacy = [
      { step: 0, code: "not_covered_peril", nl: "Niet verzekerd.", en: "Not covered." },
      { step: 8, code: "outcome", nl: "Afgewezen.", en: "Denied." },
    ];
    await t.db.kysely
      .updateTable("claim_decisions")
      .set({ explanation: JSON.stringify(legacy) })
      .where("claim_id", "=", id)
      .execute();
    const read = async (language: string) =>
      (
        await call(t.app, t.bob, "GET", `/api/claims/${id}`, undefined, { "accept-language": language })
      ).json().decision;
    const en = await read("en");
    expect(en.explanation.map((s: Step) => [s.number, s.code, s.text])).toEqual([
      [1, "not_covered_peril", "Not covered."],
      [2, "outcome", "Denied."],
    ]);
    expect(en.complaints).toContain("Kifid");
    expect(texts(await read("fr"))).toBe("Niet verzekerd.\nAfgewezen.");
  });
});
