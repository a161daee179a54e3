import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { png, realJpeg, webp } from "../../support/evidence-files.ts";
import { claimBody, fileAs, pdf } from "./claims-support.ts";
import { type Caller, rowCounts, startTestApp, type TestApp } from "./helpers.ts";

let t: TestApp;
const MB = 1024 * 1024;
beforeAll(async () => {
  t = await startTestApp({
    claims: {
      evidenceMaxBytes: MB,
      evidenceQuota: { perClaim: { files: 4, bytes: 3 * MB }, perPolicyholder: { files: 9, bytes: 5 * MB } },
    },
  });
});
afterAll(() => t.close());

const newClaim = async (who: Caller = t.alice) =>
  (await fileAs(t, who, claimBody(t.alice.policyId))).json().id;

function send(who: Caller, claimId: string, body: Buffer, type: string, fileName = "file") {
  return t.app.inject({
    method: "POST",
    url: `/api/claims/${claimId}/evidence?kind=other&fileName=${encodeURIComponent(fileName)}`,
    headers: { ...who.headers, "content-type": type },
    payload: body,
  });
}
/** A PDF of about `bytes` bytes (distinct per `tag`, so never a retried upload). */
const bigPdf = (tag: string, bytes: number) => pdf(`${tag} ${"x".repeat(bytes)}`);

describe("evidence files", () => {
  it("refuse a PNG header followed by HTML, and store nothing", async () => {
    const claimId = await newClaim();
    const before = await rowCounts(t.db);
    const polyglot = Buffer.concat([png().subarray(0, 8), Buffer.from("<html><script>alert(1)</script>")]);
    const res = await send(t.alice, claimId, polyglot, "image/png");
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({ code: "unsupported_media_type" });
    const tail = await send(t.alice, claimId, Buffer.concat([png(), Buffer.from("<html>")]), "image/png");
    expect(tail.statusCode).toBe(415);
    expect(await rowCounts(t.db)).toEqual(before);
  });

  it("keep names without bidi controls and serve the file as an attachment, never sniffed", async () => {
    const claimId = await newClaim();
    const file = realJpeg();
    const res = await send(t.alice, claimId, file, "image/jpeg", "photo\u202Egpj.exe");
    expect(res.statusCode).toBe(201);
    expect(res.json().fileName).toBe("photogpj.exe");
    const got = await t.app.inject({
      method: "GET",
      url: `/api/claims/${claimId}/evidence/${res.json().id}/content`,
      headers: t.staff.claims_handler.headers,
    });
    expect(got.statusCode).toBe(200);
    expect(got.rawPayload.equals(file)).toBe(true);
    expect(got.headers["content-type"]).toBe("image/jpeg");
    expect(got.headers["x-content-type-options"]).toBe("nosniff");
    expect(got.headers["content-disposition"]).toBe(
      `attachment; filename="photogpj.exe"; filename*=UTF-8''photogpj.exe`,
    );
    const webpRes = await send(t.alice, claimId, webp(), "image/webp", "écran.webp");
    const shot = await t.app.inject({
      method: "GET",
      url: `/api/claims/${claimId}/evidence/${webpRes.json().id}/content`,
      headers: t.alice.headers,
    });
    expect(shot.headers["content-disposition"]).toBe(
      `attachment; filename="_cran.webp"; filename*=UTF-8''%C3%A9cran.webp`,
    );
    const other = await t.app.inject({
      method: "GET",
      url: `/api/claims/${claimId}/evidence/${webpRes.json().id}/content`,
      headers: t.bob.headers,
    });
    expect(other.statusCode).toBe(404);
  });

  it("stop at the claim's quota of files and bytes; a retried upload still answers", async () => {
    const claimId = await newClaim();
    const codes = [];
    for (let i = 0; i < 5; i++)
      codes.push((await send(t.alice, claimId, pdf(`file ${i}`), "application/pdf")).statusCode);
    expect(codes).toEqual([201, 201, 201, 201, 409]);
    const retry = await send(t.alice, claimId, pdf("file 0"), "application/pdf");
    expect(retry.statusCode).toBe(201);
    const bytesClaim = await newClaim();
    const sizes = [];
    for (const tag of ["a", "b", "c", "d"])
      sizes.push((await send(t.alice, bytesClaim, bigPdf(tag, 0.9 * MB), "application/pdf")).statusCode);
    expect(sizes).toEqual([201, 201, 201, 409]);
    const refused = await send(t.alice, bytesClaim, bigPdf("e", 0.9 * MB), "application/pdf");
    expect(refused.json()).toMatchObject({ code: "evidence_quota_exceeded", status: 409 });
  });

  it("stop at the household's quota across its claims, under concurrent uploads too", async () => {
    // alice's household holds 2 + 4 + 3 files from above: its quota of 9.
    const claimId = await newClaim();
    expect((await send(t.alice, claimId, pdf("one more"), "application/pdf")).statusCode).toBe(409);
    // bob's household starts empty: 12 files at once, at most 4 per claim and 9 in all.
    const claims = [await newBob(), await newBob(), await newBob()];
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => send(t.bob, claims[i % 3]!, pdf(`bob ${i}`), "application/pdf")),
    );
    const stored = await t.db.kysely
      .selectFrom("claim_evidence")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("claim_id", "in", claims)
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(9);
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(9);
    expect(results.filter((r) => r.statusCode === 409)).toHaveLength(3);
  });
});

async function newBob() {
  return (await fileAs(t, t.bob, claimBody(t.bob.policyId))).json().id as string;
}
