import { expect } from "vitest";
import { pseudonym } from "../../../src/flows/erase-party.ts";
import { createApiToken, createUser } from "../../../src/identity/service.ts";
import { setPayoutAccount } from "../../../src/payments/accounts.ts";
import { pdf } from "./claims-support.ts";
import { ctxAt, Q } from "./gdpr-party.ts";
import { plantHelpline } from "./gdpr-plant-helpline.ts";
import { billDunAndPayOut } from "./gdpr-plant-money.ts";
import { type Caller, call, inTx, PASSWORD, type TestApp } from "./helpers.ts";

/** A text that names the party in every way at once, for every free-text field. */
const all = (label: string) =>
  `${label}: ${Q.name}, ${Q.holder}, ${Q.email}, ${Q.phone}, NL20 INGB 0001 2345 67, ${Q.newIban}, ${Q.payoutIban}`;
const short = (label: string) => `${label} ${Q.holder} ${Q.phone}`;

const key = (k: string) => ({ "idempotency-key": `gdpr-${k}` });
const consent = (who: string) =>
  `${all(who)} authorises cyberpolis to collect the premium from this account by SEPA direct debit.`;

async function ok(res: Promise<{ statusCode: number; body: string }>, status = 200) {
  const r = await res;
  expect(r.statusCode, r.body).toBe(status);
  return JSON.parse(r.body);
}

/** The claim a helpline agent files for the party (and retries after the erasure). */
export const phonedIn = (policyId: string) => ({
  policyId,
  reference: short("phoned in"),
  peril: "social_engineering",
  incidentDate: "2026-03-11",
  losses: [{ kind: "transferred_amount", amount: "400.00" }],
  facts: { policeReport: true, bankRefusalProof: true, caller: all("caller") },
});

/**
 * Plants the party's name, e-mail, phone and IBANs in every free-text field of every operation a
 * policyholder or staff member can call about them (`PLANTED_FIELDS` in the test lists them), then
 * bills, dunns, pays out and ends the policies, so that the erasure is allowed on `erasableOn`.
 */
export async function plantEverywhere(t: TestApp) {
  const admin = t.staff.admin;
  const base = { household: "family", startDate: "2026-01-01" };
  const p1 = await ok(
    call(
      t.app,
      admin,
      "POST",
      "/api/policies",
      {
        ...base,
        product: "nl-cyber",
        paymentFrequency: "monthly",
        paymentMethod: "sepa_direct_debit",
        party: { name: Q.name, email: Q.email, phone: Q.phone, birthDate: "1980-05-04", country: "NL" },
        mandate: { accountHolder: Q.holder, iban: Q.iban, signedOn: "2026-01-01", consentText: consent("I") },
      },
      key("bind"),
    ),
    201,
  );
  const partyId: string = p1.holder.partyId;
  expect(partyId).toBeTruthy();
  const p2 = await ok(
    call(
      t.app,
      t.staff.helpline_agent,
      "POST",
      "/api/policies",
      {
        ...base,
        product: "nl-cyber",
        paymentFrequency: "annual",
        paymentMethod: "bank_transfer",
        partyId,
      },
      key("bind-2"),
    ),
    201,
  );
  const me: Caller = await inTx(t.db, async (tx) => {
    const u = await createUser(tx, ctxAt("2026-03-15T09:00:00Z"), {
      email: Q.email,
      password: PASSWORD,
      role: "policyholder",
      displayName: Q.name,
      partyId,
    });
    const { token } = await createApiToken(tx, ctxAt("2026-03-15T09:00:00Z"), { userId: u.id, label: "app" });
    return { userId: u.id, email: Q.email, partyId, headers: { authorization: `Bearer ${token}` } };
  });
  await ok(call(t.app, null, "POST", "/api/auth/login", { email: Q.email, password: "wrong password" }), 401);
  await ok(call(t.app, null, "POST", "/api/auth/login", { email: Q.email, password: PASSWORD }));
  await ok(call(t.app, me, "POST", "/api/auth/tokens", { label: short("phone of") }), 201);
  await ok(call(t.app, admin, "POST", "/api/auth/tokens", { label: short("case of") }), 201);
  await ok(
    call(
      t.app,
      me,
      "POST",
      `/api/policies/${p1.id}/mandate`,
      {
        accountHolder: Q.holder,
        iban: Q.newIban,
        signedOn: "2026-03-15",
        consentText: consent("We"),
      },
      key("mandate"),
    ),
    201,
  );
  for (const policyId of [p1.id, p2.id]) {
    await inTx(t.db, (tx) =>
      setPayoutAccount(tx, ctxAt("2026-03-15T09:00:00Z"), {
        policyId,
        accountHolder: Q.holder,
        iban: Q.payoutIban,
      }),
    );
  }

  const loss = [{ kind: "transferred_amount", amount: "400.00" }];
  const mine = await ok(
    call(
      t.app,
      me,
      "POST",
      "/api/claims",
      {
        policyId: p1.id,
        reference: short("ref"),
        peril: "social_engineering",
        incidentDate: "2026-03-10",
        losses: loss,
        facts: { policeReport: true, contact: all("contact"), [`q${Q.phone.replace(/\D/g, "")}`]: 1 },
      },
      key("claim"),
    ),
    201,
  );
  expect(mine.status).toBe("needs_information");
  await ok(
    call(
      t.app,
      me,
      "POST",
      `/api/claims/${mine.id}/facts`,
      {
        facts: { bankRefusalProof: true, note: all("note") },
      },
      key("facts"),
    ),
  );
  const upload = await t.app.inject({
    method: "POST",
    url: `/api/claims/${mine.id}/evidence?kind=screenshot&fileName=${encodeURIComponent(`${short("chat")}.pdf`)}`,
    headers: { ...me.headers, "content-type": "application/pdf" },
    payload: pdf(all("chat")),
  });
  expect(upload.statusCode, upload.body).toBe(201);
  const staffs = await ok(
    call(t.app, t.staff.helpline_agent, "POST", "/api/claims", phonedIn(p1.id), key("claim-2")),
    201,
  );
  const handler = t.staff.claims_handler;
  await ok(
    call(
      t.app,
      t.staff.helpline_agent,
      "POST",
      `/api/staff/claims/${mine.id}/referral`,
      {
        reason: all("called back by"),
      },
      key("refer"),
    ),
  );
  await ok(
    call(
      t.app,
      handler,
      "POST",
      `/api/staff/claims/${mine.id}/overrides`,
      {
        outcome: "approved",
        payout: "300.00",
        reason: all("agreed on the phone with"),
      },
      key("override"),
    ),
    201,
  );
  const big = await ok(
    call(
      t.app,
      handler,
      "POST",
      `/api/staff/claims/${staffs.id}/overrides`,
      {
        outcome: "approved",
        payout: "1200.00",
        reason: all("bank statement of"),
        // Beyond the loss minus the deductible: a goodwill payment, which an admin approves.
        exGratia: true,
      },
      key("override-2"),
    ),
    201,
  );
  expect(big.override.status).toBe("pending");
  await ok(
    call(
      t.app,
      admin,
      "POST",
      `/api/staff/overrides/${big.override.id}/review`,
      {
        approve: true,
        note: all("checked with"),
      },
      key("review"),
    ),
  );

  await plantHelpline(t, me, p1.id);
  await billDunAndPayOut(t, p1.id, p2.id);
  return {
    partyId,
    alias: pseudonym(partyId),
    policyIds: [p1.id as string, p2.id as string],
    me,
    erasableOn: ctxAt("2026-04-24T10:00:00Z"),
  };
}
