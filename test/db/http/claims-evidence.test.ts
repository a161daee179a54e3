import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { png } from "../../support/evidence-files.ts";
import { claimBody, fileAs, pdf, upload } from "./claims-support.ts";
import { call, rowCounts, startTestApp, type TestApp } from "./helpers.ts";

let t: TestApp;
let claimId: string;
beforeAll(async () => {
  t = await startTestApp({ claims: { evidenceMaxBytes: 4096 } });
  claimId = (await fileAs(t, t.alice, claimBody(t.alice.policyId))).json().id;
});
afterAll(() => t.close());

const PNG = png();

describe("evidence", () => {
  it("stores a file with its claim and hands it back unchanged", async () => {
    const file = pdf("police report 2026-0042");
    const res = await upload(t, t.alice, claimId, file);
    expect(res.statusCode).toBe(201);
    const e = res.json();
    expect(e).toMatchObject({
      claimId,
      kind: "police_report",
      fileName: "aangifte.pdf",
      contentType: "application/pdf",
      sizeBytes: file.length,
      erased: false,
    });
    const got = await call(t.app, t.staff.claims_handler, "GET", `/api/claims/${claimId}/evidence/${e.id}`);
    expect(Buffer.from(got.json().contentBase64, "base64")).toEqual(file);
    const shot = await upload(t, t.alice, claimId, PNG, "image/png", "screenshot");
    expect(shot.statusCode).toBe(201);
    const list = (await call(t.app, t.alice, "GET", `/api/claims/${claimId}/evidence`)).json();
    expect(list.items.map((i: { kind: string }) => i.kind).sort()).toEqual(["police_report", "screenshot"]);
    const audit = await t.db.kysely
      .selectFrom("audit_log")
      .select("action")
      .where("entity_id", "=", claimId)
      .execute();
    expect(audit.filter((a) => a.action === "claim.evidence_added")).toHaveLength(2);
  });

  it("stores a retried upload of the same file once", async () => {
    const file = pdf("bank letter");
    const a = (await upload(t, t.alice, claimId, file, "application/pdf", "bank_refusal_letter")).json();
    const before = await rowCounts(t.db);
    const b = (await upload(t, t.alice, claimId, file, "application/pdf", "bank_refusal_letter")).json();
    expect(b.id).toBe(a.id);
    expect(await rowCounts(t.db)).toEqual(before);
  });

  it("refuses wrong types, disguised files, oversized and empty files, and leaves nothing behind", async () => {
    const before = await rowCounts(t.db);
    const cases: [Buffer, string, number, string][] = [
      [Buffer.from("hello"), "text/plain", 415, "unsupported_media_type"],
      [Buffer.from("MZ\x90\x00 not a pdf"), "application/pdf", 415, "unsupported_media_type"],
      [PNG, "image/jpeg", 415, "unsupported_media_type"],
      [Buffer.concat([pdf(), Buffer.alloc(5000, 32)]), "application/pdf", 413, "payload_too_large"],
    ];
    for (const [body, type, status, code] of cases) {
      const res = await upload(t, t.alice, claimId, body, type);
      expect({ status: res.statusCode, code: res.json().code }).toEqual({ status, code });
    }
    const json = await call(
      t.app,
      t.alice,
      "POST",
      `/api/claims/${claimId}/evidence?kind=invoice&fileName=a.pdf`,
      { a: 1 },
    );
    expect(json.statusCode).toBe(415);
    const badKind = await upload(t, t.alice, claimId, pdf(), "application/pdf", "selfie");
    expect(badKind.statusCode).toBe(400);
    const other = await upload(t, t.bob, claimId, pdf("bob"), "application/pdf");
    expect(other.statusCode).toBe(404);
    const finance = await upload(t, t.staff.finance, claimId, pdf("finance"), "application/pdf");
    expect(finance.statusCode).toBe(403);
    expect(await rowCounts(t.db)).toEqual(before);
  });

  it("never hands out another claim's file through one's own claim id", async () => {
    const bobClaim = (await fileAs(t, t.bob, claimBody(t.bob.policyId))).json().id;
    const bobFile = (await upload(t, t.bob, bobClaim, pdf("bob's police report"))).json().id;
    const res = await call(t.app, t.alice, "GET", `/api/claims/${claimId}/evidence/${bobFile}`);
    expect(res.statusCode).toBe(404);
    expect(
      (await call(t.app, t.alice, "GET", `/api/claims/${bobClaim}/evidence/${bobFile}`)).statusCode,
    ).toBe(404);
    const timeline = (await call(t.app, t.bob, "GET", `/api/policies/${t.bob.policyId}/timeline`)).json();
    expect(timeline.items.at(-1)).toMatchObject({
      event: "claim.evidence_added",
      by: "you",
      details: { kind: "police_report" },
    });
  });

  it("keeps only the file name, never a path", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: `/api/claims/${claimId}/evidence?kind=invoice&fileName=${encodeURIComponent("../../etc/fac\u0001tuur.pdf")}`,
      headers: { ...t.alice.headers, "content-type": "application/pdf" },
      payload: pdf("invoice"),
    });
    expect(res.json().fileName).toBe("factuur.pdf");
  });

  it("other routes still refuse binary bodies", async () => {
    const res = await call(t.app, t.alice, "POST", "/api/quotes", pdf(), {
      "content-type": "application/pdf",
    });
    expect(res.statusCode).toBe(415);
  });
});
