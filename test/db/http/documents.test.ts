import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectDocuments } from "../../../src/documents/index.ts";
import { missingInOrder, readPdf } from "../../support/pdf.ts";
import { claimBody, fileAs } from "./claims-support.ts";
import { call, ctx, rowCounts, startTestApp, type TestApp } from "./helpers.ts";

let t: TestApp;
let decisionId = "";
let scheduleId = "";
beforeAll(async () => {
  t = await startTestApp();
  await fileAs(t, t.alice, claimBody(t.alice.policyId));
  await collectDocuments(t.db.kysely, ctx());
  const list = await call(t.app, t.alice, "GET", `/api/policies/${t.alice.policyId}/documents`);
  const items = list.json().items as { id: string; kind: string }[];
  decisionId = items.find((d) => d.kind === "claim_decision")!.id;
  scheduleId = items.find((d) => d.kind === "schedule")!.id;
});
afterAll(() => t.close());

describe("GET /api/policies/:id/documents", () => {
  it("lists the policy's documents with their deliveries waiting in the outbox", async () => {
    const res = await call(t.app, t.alice, "GET", `/api/policies/${t.alice.policyId}/documents`);
    expect(res.statusCode).toBe(200);
    const items = res.json().items;
    expect(items.map((d: { kind: string }) => d.kind).sort()).toEqual(["claim_decision", "schedule"]);
    expect(items[0].deliveries).toEqual([
      expect.objectContaining({
        recipient: "alice@example.test",
        status: "pending",
        attempts: 0,
        sentAt: null,
      }),
    ]);
  });

  it("is 404 for another policyholder's policy", async () => {
    const res = await call(t.app, t.bob, "GET", `/api/policies/${t.alice.policyId}/documents`);
    expect(res.statusCode).toBe(404);
  });
});

describe("GET /api/documents/:id/pdf", () => {
  it("answers the PDF with its sha256 as ETag, and 304 to If-None-Match", async () => {
    const res = await call(t.app, t.alice, "GET", `/api/documents/${decisionId}/pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("application/pdf");
    const etag = String(res.headers.etag);
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
    const pdf = readPdf(res.rawPayload);
    expect(missingInOrder(pdf.text, ["Alice Aalders", "Beslissing over uw claim", "Zo zijn wij"])).toBeNull();
    const again = await call(t.app, t.alice, "GET", `/api/documents/${decisionId}/pdf`, undefined, {
      "if-none-match": etag,
    });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);
    const changed = await call(t.app, t.alice, "GET", `/api/documents/${decisionId}/pdf`, undefined, {
      "if-none-match": '"0000"',
    });
    expect(changed.statusCode).toBe(200);
  });

  it("is 404 for another policyholder and for a missing id, and changes nothing", async () => {
    const before = await rowCounts(t.db);
    const foreign = await call(t.app, t.bob, "GET", `/api/documents/${decisionId}/pdf`);
    const missing = await call(
      t.app,
      t.bob,
      "GET",
      "/api/documents/00000000-0000-4000-8000-000000000000/pdf",
    );
    expect([foreign.statusCode, foreign.json().code]).toEqual([404, "not_found"]);
    expect([missing.statusCode, missing.json().code]).toEqual([404, "not_found"]);
    expect(await rowCounts(t.db)).toEqual(before);
  });

  it("lets staff read by role: claims staff the decision, finance not", async () => {
    expect(
      (await call(t.app, t.staff.claims_handler, "GET", `/api/documents/${decisionId}/pdf`)).statusCode,
    ).toBe(200);
    const finance = await call(t.app, t.staff.finance, "GET", `/api/documents/${decisionId}/pdf`);
    expect([finance.statusCode, finance.json().code]).toEqual([403, "forbidden"]);
    expect((await call(t.app, t.staff.finance, "GET", `/api/documents/${scheduleId}/pdf`)).statusCode).toBe(
      200,
    );
  });

  it("needs a login", async () => {
    expect((await call(t.app, null, "GET", `/api/documents/${decisionId}/pdf`)).statusCode).toBe(401);
  });
});

describe("GET /api/products/:code/versions/:version/ipid", () => {
  it("answers the IPID in the asked language, with an ETag and 304", async () => {
    const res = await call(t.app, t.alice, "GET", "/api/products/be-cyber-care/versions/1/ipid?lang=fr");
    expect(res.statusCode).toBe(200);
    const pdf = readPdf(res.rawPayload);
    expect(pdf.text).toContain("Document d'information sur le produit d'assurance");
    expect(pdf.pages).toBeLessThanOrEqual(2);
    const again = await call(
      t.app,
      t.alice,
      "GET",
      "/api/products/be-cyber-care/versions/1/ipid?lang=fr",
      undefined,
      {
        "if-none-match": String(res.headers.etag),
      },
    );
    expect(again.statusCode).toBe(304);
  });

  it("refuses an unknown product, version or language", async () => {
    expect((await call(t.app, t.alice, "GET", "/api/products/xx-none/versions/1/ipid")).statusCode).toBe(404);
    expect((await call(t.app, t.alice, "GET", "/api/products/nl-cyber/versions/9/ipid")).statusCode).toBe(
      404,
    );
    const lang = await call(t.app, t.alice, "GET", "/api/products/nl-cyber/versions/1/ipid?lang=de");
    expect([lang.statusCode, lang.json().code]).toEqual([400, "validation_failed"]);
    const notPublished = await call(t.app, t.alice, "GET", "/api/products/nl-cyber/versions/1/ipid?lang=fr");
    expect(notPublished.json().code).toBe("language_not_offered");
  });
});
