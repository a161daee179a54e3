import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../../src/db/connection.ts";
import { sha256 } from "../../../src/documents/collect.ts";
import { collectDocuments, currentSchedulePdf, fonts, renderDocument } from "../../../src/documents/index.ts";
import { cancelPolicyWithBilling } from "../../../src/flows/cancel-policy.ts";
import { erasePersonalData } from "../../../src/flows/erase-party.ts";
import { createTestDb } from "../../support/db.ts";
import { missingInOrder, readPdf } from "../../support/pdf.ts";
import { ctxOn, inTx } from "../services/helpers.ts";
import { belgianHousehold } from "./fixtures.ts";

let db: Db;
let household: Awaited<ReturnType<typeof belgianHousehold>>;
beforeAll(async () => {
  db = await createTestDb();
  household = await belgianHousehold(db);
});
afterAll(async () => {
  await db.close();
});

const docs = () => db.kysely.selectFrom("documents").selectAll().orderBy("kind").execute();

describe("documents_collect", () => {
  it("stores each letter and schedule once, with its hash, and queues it for the policyholder's e-mail", async () => {
    const first = await collectDocuments(db.kysely, ctxOn("2026-03-06"));
    expect(first.stored).toBe(3);
    const again = await collectDocuments(db.kysely, ctxOn("2026-03-06"));
    expect(again.stored).toBe(0);
    const stored = await docs();
    expect(stored.map((d) => d.kind)).toEqual(["claim_decision", "formal_notice", "schedule"]);
    const deliveries = await db.kysely.selectFrom("document_deliveries").selectAll().execute();
    expect(deliveries).toHaveLength(3);
    expect(new Set(deliveries.map((d) => d.recipient))).toEqual(new Set(["claire@example.org"]));
    expect(deliveries.every((d) => d.status === "pending")).toBe(true);
  });

  it("two sweeps at once store every document once", async () => {
    await inTx(db, (tx) => tx.deleteFrom("document_deliveries").execute());
    await inTx(db, (tx) => tx.deleteFrom("documents").execute());
    const runs = await Promise.all([
      collectDocuments(db.kysely, ctxOn("2026-03-06")),
      collectDocuments(db.kysely, ctxOn("2026-03-06")),
    ]);
    expect(runs[0]!.stored + runs[1]!.stored).toBe(3);
    expect(await docs()).toHaveLength(3);
  });

  it("reproduces every stored PDF byte for byte from its stored content", async () => {
    for (const d of await docs()) {
      const again = await renderDocument(d.content, fonts());
      expect(sha256(again)).toBe(d.sha256);
      expect(sha256(d.pdf!)).toBe(d.sha256);
      expect(readPdf(Buffer.from(d.pdf!)).pages).toBe(d.pages);
    }
  });

  it("writes the decision letter in the policyholder's language, with outcome, payout and every step", async () => {
    const d = (await docs()).find((x) => x.kind === "claim_decision")!;
    expect(d.language).toBe("fr");
    const pdf = readPdf(Buffer.from(d.pdf!));
    const steps =
      d.content.layout === "letter"
        ? d.content.blocks.flatMap((b) => (b.kind === "steps" ? b.items : []))
        : [];
    expect(steps.length).toBeGreaterThan(3);
    expect(
      missingInOrder(pdf.text, [
        "Cyberpolis Assurances SA",
        "Claire Dubois",
        "Décision concernant votre sinistre",
        household.claim.claim.number,
        "accepté",
        "Indemnité : 123,45 €",
        ...steps.map((s, i) => `${i + 1}. ${s}`),
        "Ombudsman des Assurances",
      ]),
    ).toBeNull();
  });

  it("renders the formal notice as billing wrote it, and the schedule with premium, limits and the masked IBAN", async () => {
    const all = await docs();
    const notice = readPdf(Buffer.from(all.find((x) => x.kind === "formal_notice")!.pdf!));
    expect(notice.text).toContain(household.letter.subject);
    expect(notice.text).toContain("4,99 €");
    const schedule = readPdf(Buffer.from(all.find((x) => x.kind === "schedule")!.pdf!));
    expect(
      missingInOrder(schedule.text, [
        "Conditions particulières",
        household.policy.number,
        "Claire Dubois",
        "Cyber Care (version 1 du produit)",
        "famille",
        "1 janvier 2026",
        "Par mois",
        "domiciliation SEPA",
        "4,99 € (12 × par an)",
        "aucune",
        "59,88 €",
        "BE68 ",
        "7034",
        "C. Achats en ligne",
        "au maximum 5 000,00 € par an, au maximum 5 000,00 € par sinistre ; franchise 0,00 € par sinistre",
      ]),
    ).toBeNull();
    expect(schedule.text).not.toContain("BE68539007547034");
    expect(schedule.text).not.toContain("5390 0754");
  });

  it("gives the current schedule by policy number or id, and refuses an unknown policy", async () => {
    const byNumber = await currentSchedulePdf(db.kysely, ctxOn("2026-03-06"), household.policy.number);
    const byId = await currentSchedulePdf(db.kysely, ctxOn("2026-03-06"), household.policy.id);
    expect(sha256(byNumber)).toBe(sha256(byId));
    expect(readPdf(byNumber).text).toContain(household.policy.number);
    await expect(currentSchedulePdf(db.kysely, ctxOn("2026-03-06"), "NOPE-1")).rejects.toMatchObject({
      code: "not_found",
    });
  });

  it("confirms a cancellation with its end date, and stores the schedule of the new policy version", async () => {
    await inTx(db, (tx) =>
      cancelPolicyWithBilling(tx, ctxOn("2026-04-10"), {
        policyId: household.policy.id,
        requestedOn: "2026-04-10",
        effective: "2026-04-30",
      }),
    );
    const run = await collectDocuments(db.kysely, ctxOn("2026-04-10"));
    expect(run.stored).toBe(2);
    const all = await docs();
    expect(all.filter((d) => d.kind === "schedule")).toHaveLength(2);
    const c = readPdf(Buffer.from(all.find((x) => x.kind === "cancellation_confirmation")!.pdf!));
    expect(c.text).toContain("Confirmation de la résiliation de la police");
    expect(c.text).toContain("30 avril 2026");
  });

  it("erasure drops the PDFs and the party's values, keeps the hashes and addresses deliveries to the pseudonym", async () => {
    await inTx(db, (tx) =>
      erasePersonalData(tx, ctxOn("2026-05-01"), { partyId: household.policy.party_id }),
    );
    const all = await docs();
    expect(all.every((d) => d.pdf === null && d.erased_at !== null && /^[0-9a-f]{64}$/.test(d.sha256))).toBe(
      true,
    );
    expect(JSON.stringify(all.map((d) => d.content))).not.toContain("Claire");
    const deliveries = await db.kysely.selectFrom("document_deliveries").select("recipient").execute();
    expect(deliveries.every((d) => d.recipient.startsWith("erased-"))).toBe(true);
    expect((await collectDocuments(db.kysely, ctxOn("2026-05-02"))).stored).toBe(0);
  });
});
