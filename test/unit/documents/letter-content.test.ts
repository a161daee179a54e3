import { describe, expect, it } from "vitest";
import { cancellationLetter, decisionLetter, textLetter } from "../../../src/documents/letters.ts";
import { defaultCatalog } from "../../../src/products/catalog.ts";

/** The letters' words block by block (issue 17: the pure renderers mutated), in English. */
const nl = defaultCatalog().get("nl-cyber", 1);
const head = {
  language: "en" as const,
  country: "NL" as const,
  insurer: "Cyberpolis Verzekeringen N.V.",
  recipient: "Alice Aalders",
  policyNumber: "NL-000123",
  date: "2026-03-15",
};
const p = (text: string) => ({ kind: "p", text });
const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v).replace(/[\u00a0\u202f]/g, " "));

describe("letters", () => {
  it("an approved claim's letter states the payout, the steps, what next and where to complain", () => {
    const c = decisionLetter(
      { ...head, product: nl, claimNumber: "CL-42", incidentDate: "2026-03-10" },
      {
        outcome: "approved",
        payout: 25_000,
        missing: [],
        explanation: [{ step: 8, code: "approved", params: { payout: 25_000 } }],
      },
    );
    expect(plain(c)).toEqual({
      layout: "letter",
      language: "en",
      locale: "en-IE",
      insurer: "Cyberpolis Verzekeringen N.V.",
      recipient: "Alice Aalders",
      dateLine: "Date: 15 March 2026",
      policyLine: "Policy number: NL-000123",
      subject: "Decision on your claim CL-42",
      date: "2026-03-15",
      blocks: [
        p("Dear Alice Aalders,"),
        p("Our decision on your claim CL-42 (date of loss 10 March 2026): approved."),
        p("Payout: €250.00."),
        p("This is how we reached this decision:"),
        { kind: "steps", items: ["Approved: payout €250.00."] },
        p("What happens next: we transfer €250.00 to your bank account."),
        p(
          "Do you disagree with this decision? Complain to our complaints desk (klachten@cyberpolis.nl) first. If you are not satisfied with our answer, you can turn to the Dutch Financial Services Complaints Institute (Kifid, www.kifid.nl).",
        ),
        p("Kind regards,\nCyberpolis Verzekeringen N.V."),
      ],
    });
  });

  it("a cancellation refunds only a positive amount", () => {
    const letterFor = (refund: number | null) =>
      cancellationLetter({
        ...head,
        productName: "Cyber",
        requestedOn: "2026-03-01",
        endDate: "2026-04-01",
        refund,
      });
    const refunded = letterFor(1234);
    expect(refunded.blocks).toEqual([
      p("Dear Alice Aalders,"),
      p(
        "We received your cancellation on 1 March 2026. Your Cyber policy ends on 1 April 2026; from that day you are no longer insured.",
      ),
      p("We refund the premium you paid in excess, €12.34, pro rata."),
      p("Kind regards,\nCyberpolis Verzekeringen N.V."),
    ]);
    for (const none of [null, 0, -5]) {
      expect(letterFor(none).blocks[2]).toEqual(p("There is no premium to refund."));
    }
    expect(refunded.subject).toContain("NL-000123");
  });

  it("a letter billing wrote keeps its paragraphs: blank lines split, single line breaks stay, edges trimmed", () => {
    const c = textLetter(head, "Reminder", "First line\nsame paragraph\n\n\n  Second  \n\nThird");
    expect(c.subject).toBe("Reminder");
    expect(c.blocks).toEqual([p("First line\nsame paragraph"), p("Second"), p("Third")]);
  });
});
