import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimBody, fileAs } from "./claims-support.ts";
import { call, rowCounts, startTestApp, type TestApp } from "./helpers.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe("POST /api/claims", () => {
  it("files and decides at once, asking for what is missing, explained in Dutch and English", async () => {
    const res = await fileAs(t, t.alice, claimBody(t.alice.policyId, { facts: { policeReport: true } }));
    expect(res.statusCode).toBe(201);
    const claim = res.json();
    expect(claim).toMatchObject({
      policyId: t.alice.policyId,
      status: "needs_information",
      reportedDate: "2026-03-15",
      payout: "0.00",
      losses: [{ lineNo: 1, kind: "transferred_amount", amount: "400.00" }],
      decision: {
        sequence: 1,
        kind: "automatic",
        outcome: "needs_information",
        missing: ["bank_refusal_proof"],
      },
    });
    expect(claim.decision.explanation.length).toBeGreaterThan(0);
    // The answer to the POST is built without re-reading; it must equal what a GET reads.
    expect((await call(t.app, t.alice, "GET", `/api/claims/${claim.id}`)).json()).toEqual(claim);
    for (const language of ["nl", "en"]) {
      const shown = (
        await call(t.app, t.alice, "GET", `/api/claims/${claim.id}`, undefined, {
          "accept-language": language,
        })
      ).json();
      expect(shown.decision.language).toBe(language);
      for (const l of shown.decision.explanation) expect(l.text.length).toBeGreaterThan(0);
    }

    const supplied = await call(t.app, t.alice, "POST", `/api/claims/${claim.id}/facts`, {
      facts: { bankRefusalProof: true },
    });
    expect(supplied.statusCode).toBe(200);
    expect(supplied.json()).toMatchObject({
      status: "approved",
      payout: "350.00",
      decision: { sequence: 2 },
    });

    const decision = await call(t.app, t.alice, "GET", `/api/claims/${claim.id}/decision`);
    expect(decision.statusCode).toBe(200);
    const d = decision.json();
    expect(d.decision).toMatchObject({ outcome: "approved", payout: "350.00", section: "F", missing: [] });
    expect(d.decision.lines).toEqual([
      { lineNo: 1, kind: "transferred_amount", amount: "400.00", accepted: true, reason: null },
    ]);
    expect(d.history.map((h: { outcome: string }) => h.outcome)).toEqual(["needs_information", "approved"]);

    const again = await call(t.app, t.alice, "POST", `/api/claims/${claim.id}/facts`, { facts: { x: true } });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe("claim_not_open");
  });

  it("denies what the product does not cover, with reasons", async () => {
    const res = await fileAs(
      t,
      t.alice,
      claimBody(t.alice.policyId, { losses: [{ kind: "physical_damage", amount: "100.00" }] }),
    );
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ status: "denied", decision: { reasons: ["physical_damage"] } });
    expect((await call(t.app, t.alice, "GET", `/api/claims/${res.json().id}`)).json()).toEqual(res.json());
  });

  it("refuses invalid input without storing anything", async () => {
    const before = await rowCounts(t.db);
    const cases: [unknown, number, string][] = [
      [claimBody(t.alice.policyId, { peril: "meteor" }), 422, "unknown_peril"],
      [
        claimBody(t.alice.policyId, { losses: [{ kind: "teleport", amount: "1.00" }] }),
        422,
        "unknown_loss_kind",
      ],
      [claimBody(t.alice.policyId, { losses: [] }), 400, "validation_failed"],
      [
        claimBody(t.alice.policyId, { losses: [{ kind: "transferred_amount", amount: "-1" }] }),
        400,
        "validation_failed",
      ],
      [claimBody(t.alice.policyId, { incidentDate: "2026-04-01" }), 422, "dates_out_of_order"],
      [claimBody(t.alice.policyId, { facts: { __proto__x: true } }), 400, "validation_failed"],
      [claimBody(t.alice.policyId, { extra: 1 }), 400, "validation_failed"],
      [claimBody(t.alice.policyId, { reportedDate: "2026-03-20" }), 403, "forbidden"],
      [claimBody(t.bob.policyId), 404, "not_found"],
    ];
    for (const [body, status, code] of cases) {
      const res = await fileAs(t, t.alice, body);
      expect({ status: res.statusCode, code: res.json().code }).toEqual({ status, code });
    }
    expect(await rowCounts(t.db)).toEqual(before);
  });

  it("lets staff file on a policyholder's behalf with the date it was reported", async () => {
    const res = await fileAs(
      t,
      t.staff.helpline_agent,
      claimBody(t.bob.policyId, { reportedDate: "2026-03-12", reference: "call-77" }),
    );
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      reportedDate: "2026-03-12",
      reference: "call-77",
      status: "approved",
    });
    const finance = await fileAs(t, t.staff.finance, claimBody(t.bob.policyId));
    expect(finance.statusCode).toBe(403);
  });
});

describe("idempotent filing", () => {
  it("replays the first response for the same key and body, refuses another body", async () => {
    const key = { "idempotency-key": "claim-retry-1" };
    const body = claimBody(t.alice.policyId, { reference: "retry-1" });
    const first = await fileAs(t, t.alice, body, key);
    const second = await fileAs(t, t.alice, body, key);
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.headers["idempotent-replayed"]).toBe("true");
    expect(second.json()).toEqual(first.json());
    const rows = await t.db.kysely
      .selectFrom("claims")
      .select("id")
      .where("reference", "=", "retry-1")
      .execute();
    expect(rows).toHaveLength(1);

    const other = await fileAs(t, t.alice, { ...body, incidentDate: "2026-03-11" }, key);
    expect(other.statusCode).toBe(422);
    expect(other.json().code).toBe("idempotency_key_reused");
    // Keys are per caller: Bob's same key is a new request of his own.
    const bob = await fileAs(t, t.bob, claimBody(t.bob.policyId), key);
    expect(bob.statusCode).toBe(201);
  });

  it("does not store a refused request, so a corrected retry with the same key goes through", async () => {
    const key = { "idempotency-key": "claim-retry-2" };
    const bad = await fileAs(t, t.alice, claimBody(t.alice.policyId, { peril: "meteor" }), key);
    expect(bad.statusCode).toBe(422);
    const good = await fileAs(t, t.alice, claimBody(t.alice.policyId, { peril: "meteor" }), key);
    expect(good.statusCode).toBe(422);
    const fixed = await fileAs(t, t.alice, claimBody(t.alice.policyId), key);
    expect(fixed.statusCode).toBe(201);
  });
});

describe("GET /api/claims", () => {
  it("shows a policyholder only their own claims, staff all, and filters by status", async () => {
    const alice = (await call(t.app, t.alice, "GET", "/api/claims?limit=200")).json();
    expect(alice.total).toBeGreaterThan(0);
    expect(alice.items.every((c: { policyId: string }) => c.policyId === t.alice.policyId)).toBe(true);
    const widened = (await call(t.app, t.bob, "GET", `/api/claims?policyId=${t.alice.policyId}`)).json();
    expect(widened).toEqual({ items: [], total: 0 });
    const all = (await call(t.app, t.staff.finance, "GET", "/api/claims?limit=200")).json();
    expect(all.total).toBeGreaterThan(alice.total);
    const denied = (await call(t.app, t.staff.admin, "GET", "/api/claims?status=denied")).json();
    expect(denied.items.every((c: { status: string }) => c.status === "denied")).toBe(true);
    const one = await call(t.app, t.alice, "GET", `/api/claims/${alice.items[0].id}`);
    expect(one.json()).toEqual(alice.items[0]);
    const anon = await call(t.app, null, "GET", "/api/claims");
    expect(anon.statusCode).toBe(401);
  });
});
