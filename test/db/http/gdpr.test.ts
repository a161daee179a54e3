import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerMandate } from "../../../src/billing/mandates.ts";
import { collectDocuments } from "../../../src/documents/index.ts";
import { cancelPolicyWithBilling } from "../../../src/flows/cancel-policy.ts";
import { setPayoutAccount } from "../../../src/payments/accounts.ts";
import { defaultCatalog } from "../../../src/products/index.ts";
import { claimBody, fileAs, pdf, upload } from "./claims-support.ts";
import { call, ctx, inTx, startTestApp, type TestApp, validMandate } from "./helpers.ts";

let t: TestApp;
let claimId: string;
beforeAll(async () => {
  t = await startTestApp();
  await inTx(t.db, (tx) => registerMandate(tx, ctx(), { policyId: t.alice.policyId, ...validMandate }));
  await inTx(t.db, (tx) =>
    setPayoutAccount(tx, ctx(), {
      policyId: t.alice.policyId,
      accountHolder: "A. Aalders",
      iban: "BE68539007547034",
    }),
  );
  claimId = (await fileAs(t, t.alice, claimBody(t.alice.policyId))).json().id;
  await upload(t, t.alice, claimId, pdf("screenshot of the chat"));
});
afterAll(() => t.close());

describe("personal data export, letters", () => {
  it("lists the household's letters and schedules with their deliveries, and none of others", async () => {
    await collectDocuments(t.db.kysely, { actor: "test", now: new Date(), catalog: defaultCatalog() });
    const { data } = (await call(t.app, t.alice, "GET", "/api/me/personal-data")).json();
    expect(data.documents.length).toBeGreaterThan(0);
    expect(data.documents.every((d: { policy_id: string }) => d.policy_id === t.alice.policyId)).toBe(true);
    expect(data.documents.map((d: { kind: string }) => d.kind)).toContain("schedule");
    expect(Array.isArray(data.document_deliveries)).toBe(true);
  });
});

describe("personal data export", () => {
  it("gives a policyholder everything about their household and nothing of others", async () => {
    const res = await call(t.app, t.alice, "GET", "/api/me/personal-data");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-disposition"]).toContain("attachment");
    const { data, subject } = res.json();
    expect(subject.partyId).toBe(t.alice.partyId);
    expect(data.party[0]).toMatchObject({ name: "Alice Aalders", email: "alice@example.test" });
    expect(data.policies.map((p: { id: string }) => p.id)).toEqual([t.alice.policyId]);
    expect(data.sepa_mandates[0].iban).toBe("NL91ABNA0417164300");
    expect(data.claims.map((c: { id: string }) => c.id)).toEqual([claimId]);
    expect(data.claim_decisions).toHaveLength(1);
    expect(data.claim_evidence).toHaveLength(1);
    expect(data.users[0].email).toBe("alice@example.test");
    expect(data.payout_accounts[0].iban).toBe("BE68539007547034");
    const text = res.body;
    expect(text).not.toContain("Bob Bakker");
    expect(text).not.toContain(t.bob.policyId);
    expect(text).not.toContain("password_hash");
    expect(text).not.toContain("argon2");
    expect((await call(t.app, t.staff.admin, "GET", "/api/me/personal-data")).statusCode).toBe(403);
    const forAdmin = await call(
      t.app,
      t.staff.admin,
      "GET",
      `/api/admin/parties/${t.alice.partyId}/personal-data`,
    );
    expect(forAdmin.json().data.policies).toHaveLength(1);
    expect(
      (await call(t.app, t.bob, "GET", `/api/admin/parties/${t.alice.partyId}/personal-data`)).statusCode,
    ).toBe(403);
  });
});

describe("erasure", () => {
  const erase = (partyId: string, who = t.staff.admin) =>
    call(t.app, who, "POST", `/api/admin/parties/${partyId}/erasure`, {});

  it("is refused while a policy still runs, and for anyone but an admin", async () => {
    const res = await erase(t.alice.partyId!);
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe("erasure_not_allowed");
    expect((await erase(t.alice.partyId!, t.staff.claims_handler)).statusCode).toBe(403);
    expect((await erase(t.alice.partyId!, t.alice)).statusCode).toBe(403);
    expect((await erase("00000000-0000-4000-8000-000000000000")).statusCode).toBe(404);
  });

  it("pseudonymises a former policyholder and keeps the financial records", async () => {
    await inTx(t.db, (tx) =>
      cancelPolicyWithBilling(tx, ctx(), {
        policyId: t.alice.policyId,
        requestedOn: "2026-03-15",
        effective: "2026-03-15",
      }),
    );
    // A failed login for Alice's address: its record (a hash anyone knowing the address can
    // recompute) must go with her login.
    await call(t.app, null, "POST", "/api/auth/login", { email: t.alice.email, password: "wrong password!" });
    expect(await t.db.kysely.selectFrom("login_failures").select("email_hash").execute()).toHaveLength(1);
    const res = await erase(t.alice.partyId!);
    expect(res.statusCode).toBe(200);
    const pseudonym = res.json().pseudonym;
    expect(await t.db.kysely.selectFrom("login_failures").select("email_hash").execute()).toEqual([]);
    const revocations = await t.db.kysely
      .selectFrom("audit_log")
      .select("after")
      .where("action", "=", "api_token.revoked")
      .where("entity_id", "=", t.alice.userId)
      .execute();
    expect(revocations.map((r) => (r.after as { how: string }).how)).toEqual(["erasure"]);
    expect(pseudonym).toMatch(/^erased-[0-9a-f]{12}$/);
    const db = t.db.kysely;
    const party = await db
      .selectFrom("parties")
      .selectAll()
      .where("id", "=", t.alice.partyId!)
      .executeTakeFirstOrThrow();
    expect(party).toMatchObject({
      name: pseudonym,
      email: null,
      phone: null,
      birth_date: null,
      address: null,
    });
    expect(party.erased_at).not.toBeNull();
    const mandate = await db
      .selectFrom("sepa_mandates")
      .selectAll()
      .where("policy_id", "=", t.alice.policyId)
      .executeTakeFirstOrThrow();
    expect(mandate.iban).toBe("NL91**********4300");
    expect(mandate.account_holder).toBe(pseudonym);
    const account = await db
      .selectFrom("payout_accounts")
      .selectAll()
      .where("policy_id", "=", t.alice.policyId)
      .executeTakeFirstOrThrow();
    expect(account).toMatchObject({ iban: "BE68********7034", account_holder: pseudonym });
    // Policies, claims and decisions stay: they are the insurer's financial records.
    expect(
      await db.selectFrom("claims").select("payout_cents").where("id", "=", claimId).executeTakeFirst(),
    ).toEqual({ payout_cents: 35000 });
    expect(
      await db.selectFrom("claim_decisions").select("sequence").where("claim_id", "=", claimId).execute(),
    ).toHaveLength(1);
    const evidence = await db
      .selectFrom("claim_evidence")
      .select(["content", "erased_at", "sha256"])
      .where("claim_id", "=", claimId)
      .executeTakeFirstOrThrow();
    expect(evidence.content).toBeNull();
    expect(evidence.erased_at).not.toBeNull();
    // The login is gone: the token no longer works and the e-mail is no longer stored.
    expect((await call(t.app, t.alice, "GET", "/api/auth/me")).statusCode).toBe(401);
    const users = await db
      .selectFrom("users")
      .select(["email", "disabled_at"])
      .where("party_id", "=", t.alice.partyId!)
      .execute();
    expect(users[0]!.email).not.toContain("alice");
    expect(users[0]!.disabled_at).not.toBeNull();
    const everything = JSON.stringify(await db.selectFrom("audit_log").selectAll().execute());
    expect(everything).not.toContain("Alice Aalders");
    expect(everything).not.toContain("alice@example.test");
    expect(everything).not.toContain("NL91ABNA0417164300");
    expect(everything).not.toContain("BE68539007547034");
    const entry = await db
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "party.erased")
      .executeTakeFirstOrThrow();
    expect(entry.entity_id).toBe(t.alice.partyId);
    // Bob is untouched.
    const bob = await db
      .selectFrom("parties")
      .select("name")
      .where("id", "=", t.bob.partyId!)
      .executeTakeFirstOrThrow();
    expect(bob.name).toBe("Bob Bakker");

    const again = await erase(t.alice.partyId!);
    expect(again.json().code).toBe("erasure_not_allowed");
  });
});
