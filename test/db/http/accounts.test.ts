import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AccountMail } from "../../../src/identity/model.ts";
import { bindPolicy } from "../../../src/policies/service.ts";
import { call, ctx, inTx, NOW, PASSWORD, startTestApp, type TestApp } from "./helpers.ts";

/**
 * The account journeys through the real API: sign-up → verification → login; password reset
 * (single-use, expiring, the old password and sessions gone); invitations; disabling.
 */
let t: TestApp;
const mails: AccountMail[] = [];
let now = NOW;
const NEW_PASSWORD = "a brand new passphrase";

beforeAll(async () => {
  t = await startTestApp({}, { mailer: async (m) => void mails.push(m), clock: () => now });
  await inTx(t.db, (tx) =>
    bindPolicy(tx, ctx(), {
      productCode: "nl-cyber",
      party: { name: "Carla Claes", email: "Carla@Example.test" },
      household: "single",
      startDate: "2026-01-01",
      paymentFrequency: "annual",
      paymentMethod: "bank_transfer",
    }),
  );
});
afterAll(() => t.close());

const post = (url: string, body: unknown, who: { headers: Record<string, string> } | null = null) =>
  call(t.app, who, "POST", url, body);
const tokenOf = (m: AccountMail) => new URL(m.link).searchParams.get("token")!;
const lastMail = () => mails.at(-1)!;

async function login(email: string, password: string) {
  const res = await post("/api/auth/login", { email, password });
  const cookie = res.cookies.find((c) => c.name === "cp_session");
  const headers: Record<string, string> = cookie ? { cookie: `cp_session=${cookie.value}` } : {};
  return { status: res.statusCode, headers };
}

describe("self sign-up with e-mail verification", () => {
  it("refuses short and common passwords, naming the field, and mails nothing", async () => {
    for (const password of ["short", "qwertyuiop", "carla@example.test"]) {
      const res = await post("/api/auth/sign-up", { email: "carla@example.test", password });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors[0].path).toBe("password");
    }
    expect(mails).toHaveLength(0);
  });

  it("signs up, refuses the login until the address is verified, then logs in", async () => {
    const res = await post("/api/auth/sign-up", { email: "carla@example.test", password: PASSWORD });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ status: "check_your_email" });
    const mail = lastMail();
    expect(mail).toMatchObject({ kind: "verify_email", to: "carla@example.test" });
    expect(mail.subject).toBe("Bevestig uw e-mailadres");
    expect(mail.text).toContain("Beste Carla Claes,");
    expect(mail.text).toContain(mail.link);
    expect(mail.text).not.toContain(PASSWORD);
    expect((await login("carla@example.test", PASSWORD)).status).toBe(401);

    const token = tokenOf(mail);
    const stored = await t.db.kysely.selectFrom("account_links").select("token_hash").execute();
    expect(stored.map((s) => s.token_hash)).not.toContain(token);
    expect((await post("/api/auth/email-verification", { token })).statusCode).toBe(200);
    const again = await post("/api/auth/email-verification", { token });
    expect(again.statusCode).toBe(400);
    expect(again.json().code).toBe("account_link_invalid");
    expect((await login("carla@example.test", PASSWORD)).status).toBe(200);
  });

  it("answers an unknown or taken address the same; only the owner of a taken one gets a mail", async () => {
    const before = mails.length;
    const unknown = await post("/api/auth/sign-up", { email: "nobody@example.test", password: PASSWORD });
    expect(mails.length).toBe(before);
    const taken = await post("/api/auth/sign-up", { email: "alice@example.test", password: PASSWORD });
    expect([unknown.statusCode, taken.statusCode]).toEqual([202, 202]);
    expect(unknown.json()).toEqual(taken.json());
    expect(lastMail()).toMatchObject({ kind: "already_registered", to: "alice@example.test" });
    // Signing up again does not change Alice's password.
    expect((await login("alice@example.test", PASSWORD)).status).toBe(200);
  });
});

describe("password reset by a single-use, expiring link", () => {
  it("sets a new password: the old one and every session stop working, the link works once", async () => {
    const session = await login("carla@example.test", PASSWORD);
    expect((await call(t.app, session, "GET", "/api/auth/me")).statusCode).toBe(200);
    const res = await call(
      t.app,
      null,
      "POST",
      "/api/auth/password-reset",
      { email: "carla@example.test" },
      {
        "accept-language": "fr-BE",
      },
    );
    expect(res.statusCode).toBe(202);
    const mail = lastMail();
    expect(mail).toMatchObject({ kind: "reset_password", subject: "Choisir un nouveau mot de passe" });
    const token = tokenOf(mail);
    const weak = await post("/api/auth/password", { token, password: "password123" });
    expect(weak.statusCode).toBe(400);
    // A refused password spends nothing: the link still works.
    expect((await post("/api/auth/password", { token, password: NEW_PASSWORD })).statusCode).toBe(200);
    expect((await post("/api/auth/password", { token, password: NEW_PASSWORD })).json().code).toBe(
      "account_link_invalid",
    );
    expect((await login("carla@example.test", PASSWORD)).status).toBe(401);
    expect((await login("carla@example.test", NEW_PASSWORD)).status).toBe(200);
    expect((await call(t.app, session, "GET", "/api/auth/me")).statusCode).toBe(401);
  });

  it("refuses a link after its hour, and an older link once a newer one was sent", async () => {
    await post("/api/auth/password-reset", { email: "carla@example.test" });
    const older = tokenOf(lastMail());
    await post("/api/auth/password-reset", { email: "carla@example.test" });
    const newer = tokenOf(lastMail());
    expect((await post("/api/auth/password", { token: older, password: PASSWORD })).statusCode).toBe(400);
    now = new Date(NOW.getTime() + 3601 * 1000);
    try {
      const late = await post("/api/auth/password", { token: newer, password: PASSWORD });
      expect(late.json().code).toBe("account_link_invalid");
    } finally {
      now = NOW;
    }
    expect((await post("/api/auth/password", { token: newer, password: PASSWORD })).statusCode).toBe(200);
  });

  it("mails nothing for an unknown address and answers the same", async () => {
    const before = mails.length;
    const res = await post("/api/auth/password-reset", { email: "nobody@example.test" });
    expect(res.statusCode).toBe(202);
    expect(mails.length).toBe(before);
  });
});

describe("staff accounts: invitations, roles, disabling", () => {
  let staffId = "";
  it("only admins invite staff; the invitation sets the password and proves the address", async () => {
    const body = { email: "dirk@example.test", role: "claims_handler", displayName: "Dirk", language: "en" };
    expect((await post("/api/admin/users", body, t.staff.helpline_agent)).statusCode).toBe(403);
    const res = await post("/api/admin/users", body, t.staff.admin);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ status: "invited", role: "claims_handler", partyId: null });
    staffId = res.json().id;
    expect(lastMail()).toMatchObject({ kind: "invitation", subject: "Your Cyberpolis account" });
    expect((await login("dirk@example.test", PASSWORD)).status).toBe(401);
    expect(
      (await post("/api/auth/password", { token: tokenOf(lastMail()), password: PASSWORD })).statusCode,
    ).toBe(200);
    expect((await call(t.app, t.staff.admin, "GET", `/api/admin/users/${staffId}`)).json().status).toBe(
      "active",
    );
    const again = await post("/api/admin/users", body, t.staff.admin);
    expect(again.statusCode).toBe(409);
  });

  it("changes a staff role; a policyholder login and one's own login are refused", async () => {
    const res = await post(`/api/admin/users/${staffId}/role`, { role: "finance" }, t.staff.admin);
    expect(res.json().role).toBe("finance");
    expect(
      (await post(`/api/admin/users/${t.alice.userId}/role`, { role: "admin" }, t.staff.admin)).statusCode,
    ).toBe(400);
    const self = await post(
      `/api/admin/users/${t.staff.admin.userId}/role`,
      { role: "finance" },
      t.staff.admin,
    );
    expect(self.statusCode).toBe(403);
  });

  it("a disabled login's sessions, tokens and mailed links are refused; all of it audited", async () => {
    const session = await login("dirk@example.test", PASSWORD);
    const created = await call(t.app, session, "GET", "/api/auth/me");
    const csrf = created.json().csrfToken as string;
    const tok = await call(
      t.app,
      session,
      "POST",
      "/api/auth/tokens",
      { label: "laptop" },
      { "x-csrf-token": csrf },
    );
    const bearer = { headers: { authorization: `Bearer ${tok.json().token}` } };
    expect((await call(t.app, bearer, "GET", "/api/auth/me")).statusCode).toBe(200);
    await post("/api/auth/password-reset", { email: "dirk@example.test" });
    const link = tokenOf(lastMail());

    const res = await post(`/api/admin/users/${staffId}/disable`, {}, t.staff.admin);
    expect(res.json().status).toBe("disabled");
    expect((await call(t.app, session, "GET", "/api/auth/me")).statusCode).toBe(401);
    expect((await call(t.app, bearer, "GET", "/api/auth/me")).statusCode).toBe(401);
    expect((await login("dirk@example.test", PASSWORD)).status).toBe(401);
    expect((await post("/api/auth/password", { token: link, password: NEW_PASSWORD })).statusCode).toBe(400);
    const before = mails.length;
    await post("/api/auth/password-reset", { email: "dirk@example.test" });
    expect(mails.length).toBe(before);

    const actions = await t.db.kysely
      .selectFrom("audit_log")
      .select("action")
      .where("entity_type", "=", "user")
      .where("entity_id", "=", staffId)
      .orderBy("id")
      .execute();
    expect(actions.map((a) => a.action)).toEqual([
      "user.created",
      "user.password_set",
      "user.role_changed",
      "api_token.created",
      "user.password_reset_requested",
      "api_token.revoked",
      "user.disabled",
    ]);
    const enabled = await post(`/api/admin/users/${staffId}/enable`, {}, t.staff.admin);
    expect(enabled.json().status).toBe("active");
    expect((await call(t.app, bearer, "GET", "/api/auth/me")).statusCode).toBe(401);
  });

  it("a helpline agent invites a household's login in the household's language", async () => {
    const res = await post(`/api/admin/parties/${t.alice.partyId}/login`, {}, t.staff.helpline_agent);
    expect(res.statusCode).toBe(409);
    const party = await inTx(t.db, (tx) =>
      bindPolicy(tx, ctx(), {
        productCode: "nl-cyber",
        party: { name: "Eva Elst", email: "eva@example.test" },
        household: "single",
        startDate: "2026-01-01",
        paymentFrequency: "annual",
        paymentMethod: "bank_transfer",
      }),
    );
    const ok = await post(`/api/admin/parties/${party.party_id}/login`, {}, t.staff.helpline_agent);
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ role: "policyholder", partyId: party.party_id, status: "invited" });
    expect(lastMail()).toMatchObject({
      kind: "invitation",
      to: "eva@example.test",
      subject: "Uw account bij Cyberpolis",
    });
    const list = await call(t.app, t.staff.admin, "GET", "/api/admin/users?role=policyholder");
    expect(list.json().total).toBe(4);
  });
});
