import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimBody, fileAs } from "./claims-support.ts";
import { type Caller, call, rowCounts, startTestApp, type TestApp } from "./helpers.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

async function usedInF(policyId: string): Promise<number> {
  const row = await t.db.kysely
    .selectFrom("limit_usage")
    .select("used_cents")
    .where("policy_id", "=", policyId)
    .where("section", "=", "F")
    .executeTakeFirst();
  return row?.used_cents ?? 0;
}

async function newClaim(over: Record<string, unknown> = {}) {
  const res = await fileAs(t, t.alice, claimBody(t.alice.policyId, over));
  expect(res.statusCode).toBe(201);
  return res.json() as { id: string; status: string; payout: string };
}

const override = (claimId: string, body: unknown, who: Caller = t.staff.claims_handler) =>
  call(t.app, who, "POST", `/api/staff/claims/${claimId}/overrides`, body);

describe("claims queue and referral", () => {
  it("lists claims that need information or were referred, for front-office and handlers only", async () => {
    const waiting = await newClaim({ facts: { policeReport: true } });
    const decided = await newClaim();
    for (const who of [t.staff.helpline_agent, t.staff.claims_handler, t.staff.admin]) {
      const res = await call(t.app, who, "GET", "/api/staff/claims/queue");
      expect(res.statusCode).toBe(200);
      const ids = res.json().items.map((i: { claimId: string }) => i.claimId);
      expect(ids).toContain(waiting.id);
      expect(ids).not.toContain(decided.id);
    }
    const item = (await call(t.app, t.staff.admin, "GET", "/api/staff/claims/queue?reason=needs_information"))
      .json()
      .items.find((i: { claimId: string }) => i.claimId === waiting.id);
    expect(item).toMatchObject({
      status: "needs_information",
      missing: ["bank_refusal_proof"],
      pendingOverride: null,
    });
    for (const who of [t.alice, t.staff.finance]) {
      expect((await call(t.app, who, "GET", "/api/staff/claims/queue")).statusCode).toBe(403);
    }

    const referred = await call(
      t.app,
      t.staff.helpline_agent,
      "POST",
      `/api/staff/claims/${decided.id}/referral`,
      {
        reason: "customer disputes the amount on the phone",
      },
    );
    expect(referred.statusCode).toBe(200);
    expect(referred.json().status).toBe("referred");
    const queue = (
      await call(t.app, t.staff.claims_handler, "GET", "/api/staff/claims/queue?reason=referred")
    ).json();
    expect(queue.items.map((i: { claimId: string }) => i.claimId)).toEqual([decided.id]);
    const twice = await call(
      t.app,
      t.staff.helpline_agent,
      "POST",
      `/api/staff/claims/${decided.id}/referral`,
      {
        reason: "again please",
      },
    );
    expect(twice.json().code).toBe("claim_not_open");
  });
});

describe("overrides", () => {
  it("applies an override within the threshold at once, as a new decision with the reason", async () => {
    const claim = await newClaim({ losses: [{ kind: "physical_damage", amount: "300.00" }] });
    expect(claim.status).toBe("denied");
    const before = await usedInF(t.alice.policyId);
    const res = await override(claim.id, {
      outcome: "approved",
      payout: "250.00",
      reason: "goodwill: the phone was taken over remotely",
    });
    expect(res.statusCode).toBe(201);
    const { override: o, claim: c } = res.json();
    expect(o).toMatchObject({ status: "applied", payout: "250.00", decisionSequence: 2 });
    expect(c).toMatchObject({ status: "approved", payout: "250.00" });
    expect(c.decision).toMatchObject({ kind: "override", sequence: 2, reasons: ["override"] });
    expect(c.decision.reasonText).toBe("goodwill: the phone was taken over remotely");
    expect(c.decision.explanation[0].text).toContain("goodwill");
    expect(await usedInF(t.alice.policyId)).toBe(before + 25000);

    // Lowering it releases limit again.
    const lower = await override(claim.id, {
      outcome: "denied",
      payout: "0.00",
      reason: "reconsidered: not covered",
    });
    expect(lower.statusCode).toBe(201);
    expect(await usedInF(t.alice.policyId)).toBe(before);
  });

  it("needs a reason, a handler's role and a consistent payout", async () => {
    const claim = await newClaim();
    const before = await rowCounts(t.db);
    const cases: [unknown, Caller, number][] = [
      [{ outcome: "approved", payout: "10.00", reason: "short" }, t.staff.claims_handler, 400],
      [{ outcome: "approved", payout: "10.00" }, t.staff.claims_handler, 400],
      [{ outcome: "denied", payout: "10.00", reason: "a denial with a payout" }, t.staff.claims_handler, 400],
      [{ outcome: "approved", payout: "10.00", reason: "long enough reason" }, t.staff.helpline_agent, 403],
      [{ outcome: "approved", payout: "10.00", reason: "long enough reason" }, t.alice, 403],
    ];
    for (const [body, who, status] of cases)
      expect((await override(claim.id, body, who)).statusCode).toBe(status);
    expect(await rowCounts(t.db)).toEqual(before);
  });

  it("never pushes a section over its annual limit", async () => {
    const bob = t.bob.policyId;
    const first = await fileAs(
      t,
      t.bob,
      claimBody(bob, { losses: [{ kind: "transferred_amount", amount: "1550.00" }] }),
    );
    const second = await fileAs(
      t,
      t.bob,
      claimBody(bob, { losses: [{ kind: "transferred_amount", amount: "1550.00" }] }),
    );
    const third = await fileAs(
      t,
      t.bob,
      claimBody(bob, { losses: [{ kind: "transferred_amount", amount: "1550.00" }] }),
    );
    expect([first, second, third].map((r) => r.json().payout)).toEqual(["1500.00", "1500.00", "1500.00"]);
    const before = await rowCounts(t.db);
    // 4,500.00 used of 5,000.00: the third claim may go up to 2,000.00, not more.
    const tooMuch = await override(
      third.json().id,
      { outcome: "approved", payout: "2000.01", reason: "pay the whole loss" },
      t.staff.admin,
    );
    expect(tooMuch.statusCode).toBe(409);
    expect(tooMuch.json().code).toBe("override_exceeds_limit");
    expect(tooMuch.json().detail).toContain("at most €2,000.00");
    expect(await rowCounts(t.db)).toEqual(before);
    expect(await usedInF(bob)).toBe(450000);
  });

  it("holds an override above the threshold until a different handler approves it", async () => {
    const claim = await newClaim({ losses: [{ kind: "transferred_amount", amount: "1200.00" }] });
    expect(claim.payout).toBe("1150.00");
    const used = await usedInF(t.alice.policyId);
    const res = await override(claim.id, {
      outcome: "approved",
      payout: "1100.00",
      reason: "agreed a lower amount after a call",
    });
    expect(res.statusCode).toBe(201);
    const o = res.json().override;
    expect(o.status).toBe("pending");
    expect(res.json().claim).toMatchObject({ payout: "1150.00", decision: { kind: "automatic" } });
    expect(await usedInF(t.alice.policyId)).toBe(used);

    const queue = (
      await call(t.app, t.staff.helpline_agent, "GET", "/api/staff/claims/queue?reason=override_pending")
    ).json();
    expect(
      queue.items.find((i: { claimId: string }) => i.claimId === claim.id)?.pendingOverride,
    ).toMatchObject({ id: o.id, payout: "1100.00" });
    const another = await override(claim.id, {
      outcome: "denied",
      payout: "0.00",
      reason: "second thoughts here",
    });
    expect(another.json().code).toBe("override_pending");

    const self = await call(t.app, t.staff.claims_handler, "POST", `/api/staff/overrides/${o.id}/review`, {
      approve: true,
    });
    expect(self.statusCode).toBe(403);
    expect(self.json().code).toBe("four_eyes_required");
    const ok = await call(t.app, t.staff.admin, "POST", `/api/staff/overrides/${o.id}/review`, {
      approve: true,
      note: "agreed",
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().override).toMatchObject({ status: "applied", decisionSequence: 2 });
    expect(ok.json().claim).toMatchObject({
      status: "approved",
      payout: "1100.00",
      decision: { kind: "override" },
    });
    expect(ok.json().claim.decision.explanation.map((e: { code: string }) => e.code)).toEqual([
      "override",
      "four_eyes_approved",
    ]);
    expect(await usedInF(t.alice.policyId)).toBe(used - 5000);
    const late = await call(t.app, t.staff.admin, "POST", `/api/staff/overrides/${o.id}/review`, {
      approve: false,
    });
    expect(late.json().code).toBe("override_not_pending");
  });

  it("a rejected pending override changes nothing but its own status", async () => {
    const claim = await newClaim({ losses: [{ kind: "transferred_amount", amount: "100.00" }] });
    const o = (
      await override(claim.id, {
        outcome: "approved",
        payout: "1400.00",
        reason: "ex gratia for a hardship case",
        exGratia: true,
      })
    ).json().override;
    const rejected = await call(t.app, t.staff.admin, "POST", `/api/staff/overrides/${o.id}/review`, {
      approve: false,
      note: "no",
    });
    expect(rejected.json()).toMatchObject({ override: { status: "rejected" }, claim: { payout: "50.00" } });
  });

  it("pays beyond the loss minus the deductible only ex gratia, approved by an admin and kept out of the limit", async () => {
    // Loss 1,200.00, deductible (eigen risico) 50.00: the cover pays 1,150.00 at most.
    const claim = await newClaim({ losses: [{ kind: "transferred_amount", amount: "1200.00" }] });
    expect(claim.payout).toBe("1150.00");
    const used = await usedInF(t.alice.policyId);
    const before = await rowCounts(t.db);
    const beyond = await override(claim.id, {
      outcome: "approved",
      payout: "1200.00",
      reason: "deductible waived after complaint",
    });
    expect(beyond.statusCode).toBe(422);
    expect(beyond.json()).toMatchObject({ code: "override_exceeds_cover" });
    expect(beyond.json().detail).toContain("at most €1,150.00");
    const notNeeded = await override(claim.id, {
      outcome: "approved",
      payout: "1000.00",
      reason: "agreed lower amount, marked by mistake",
      exGratia: true,
    });
    expect(notNeeded.statusCode).toBe(400);
    expect(notNeeded.json().errors).toMatchObject([{ path: "exGratia" }]);
    expect(await rowCounts(t.db)).toEqual(before);

    const asked = await override(claim.id, {
      outcome: "approved",
      payout: "1200.00",
      reason: "deductible waived after complaint",
      exGratia: true,
    });
    expect(asked.statusCode).toBe(201);
    // Below the four-eyes threshold, yet ex gratia waits for an admin.
    expect(asked.json().override).toMatchObject({ status: "pending", exGratia: true });
    const o = asked.json().override;
    const ok = await call(t.app, t.staff.admin, "POST", `/api/staff/overrides/${o.id}/review`, {
      approve: true,
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().claim).toMatchObject({ status: "approved", payout: "1200.00" });
    expect(ok.json().claim.decision.explanation.map((e: { code: string }) => e.code)).toEqual([
      "override",
      "ex_gratia",
      "ex_gratia_approved",
    ]);
    // The limit counts what the cover pays, not the goodwill on top.
    expect(await usedInF(t.alice.policyId)).toBe(used);
  });
});

describe("audit trail", () => {
  it("shows staff everything recorded about a claim and a policy", async () => {
    const claim = await newClaim({ facts: { policeReport: true } });
    await call(t.app, t.alice, "POST", `/api/claims/${claim.id}/facts`, {
      facts: { bankRefusalProof: true },
    });
    await override(claim.id, {
      outcome: "approved",
      payout: "100.00",
      reason: "agreed lower amount by phone",
    });
    const res = await call(t.app, t.staff.finance, "GET", `/api/staff/claims/${claim.id}/audit`);
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((a: { action: string }) => a.action)).toEqual([
      "claim.filed",
      "claim.decided",
      "claim.facts_supplied",
      "claim.decided",
      "claim.overridden",
    ]);
    const policy = (
      await call(t.app, t.staff.admin, "GET", `/api/staff/policies/${t.alice.policyId}/audit`)
    ).json();
    expect(policy.items[0].action).toBe("policy.bound");
    expect(policy.items.some((a: { entityId: string }) => a.entityId === claim.id)).toBe(true);
    expect((await call(t.app, t.alice, "GET", `/api/staff/claims/${claim.id}/audit`)).statusCode).toBe(403);
    const missing = await call(
      t.app,
      t.staff.admin,
      "GET",
      "/api/staff/policies/00000000-0000-4000-8000-000000000000/audit",
    );
    expect(missing.statusCode).toBe(404);
  });
});
