import { describe, expect, it } from "vitest";
import { ipidContent } from "../../../src/documents/ipid.ts";
import { defaultCatalog } from "../../../src/products/catalog.ts";
import { AppError } from "../../../src/shared/errors.ts";

/** An IPID asked in a language its card is not written in is refused, naming the ones it is in. */
const nl = defaultCatalog().get("nl-cyber", 1);

function refusal(product: typeof nl, language: "nl" | "fr" | "en") {
  try {
    ipidContent(product, language);
  } catch (e) {
    if (e instanceof AppError) return { code: e.code, message: e.message, issues: e.issues };
    throw e;
  }
  throw new Error("not refused");
}

describe("the languages of an IPID", () => {
  it("nl-cyber v1 is published in Dutch only: French is refused", () => {
    expect(refusal(nl, "fr")).toEqual({
      code: "language_not_offered",
      message: "the IPID of nl-cyber version 1 is not published in fr; it is in nl",
      issues: [{ path: "lang", message: "not one of nl" }],
    });
  });

  it("a version with two cards lists both", () => {
    const twoCards = { ...nl, card: { ...nl.card, en: nl.card.nl } };
    expect(refusal(twoCards, "fr").issues).toEqual([{ path: "lang", message: "not one of nl, en" }]);
    expect(refusal(twoCards, "fr").message).toBe(
      "the IPID of nl-cyber version 1 is not published in fr; it is in nl, en",
    );
  });
});
