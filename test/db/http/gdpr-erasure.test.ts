import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { erasePersonalData } from "../../../src/flows/erase-party.ts";
import { PLANTED, Q } from "./gdpr-party.ts";
import { phonedIn, plantEverywhere } from "./gdpr-plant.ts";
import { call, inTx, startTestApp, type TestApp } from "./helpers.ts";
import { findValues } from "./personal-data-search.ts";
import { freeTextFields } from "./text-fields.ts";

/**
 * Every free-text field of the OpenAPI document: planted with the party's values by
 * plantEverywhere, or why nothing of it is kept. A field added later fails the first test until
 * it is planted here (and erased).
 */
const FIELDS: Record<string, "planted" | string> = {
  "GET /api/policies number": "a search filter, not stored",
  "POST /api/finance/bank-imports fileName":
    "the bank's name for its file, kept with the import's hash and message id",
  "POST /api/finance/bank-imports xml":
    "the bank's file: only its hash, message id and the import's outcome are kept",
  "POST /api/finance/invoice-payments reference":
    "an invoice or charge reference (an unknown one is refused)",
  "POST /api/admin/users displayName": "a staff member's name: staff logins are no party's data",
  "POST /api/auth/email-verification token": "a random token; only its hash is stored",
  "POST /api/auth/password password": "stored only as an argon2id hash",
  "POST /api/auth/password token": "a random token; only its hash is stored",
  "POST /api/auth/sign-up password": "stored only as an argon2id hash",
  "POST /api/auth/login email": "planted",
  "POST /api/auth/login password": "hashed only for users; a wrong one is not stored",
  "POST /api/auth/tokens label": "planted",
  "POST /api/claims facts.*": "planted",
  "POST /api/claims losses[].kind": "a code of the product (anything else is refused)",
  "POST /api/claims peril": "a code of the product (anything else is refused)",
  "POST /api/claims reference": "planted",
  "POST /api/claims/{id}/evidence fileName": "planted",
  "POST /api/claims/{id}/facts facts.*": "planted",
  "POST /api/policies mandate.accountHolder": "planted",
  "POST /api/policies mandate.bic": "a BIC (anything else is refused)",
  "POST /api/policies mandate.consentText": "planted",
  "POST /api/policies mandate.iban": "planted",
  "POST /api/policies party.name": "planted",
  "POST /api/policies party.phone": "planted",
  "POST /api/policies product": "a product code",
  "POST /api/policies/{id}/mandate accountHolder": "planted",
  "POST /api/policies/{id}/mandate bic": "a BIC (anything else is refused)",
  "POST /api/policies/{id}/mandate consentText": "planted",
  "POST /api/policies/{id}/mandate iban": "planted",
  "POST /api/quotes product": "a product code; a quote is computed, not stored",
  "POST /api/staff/claims/{id}/overrides reason": "planted",
  "POST /api/staff/claims/{id}/referral reason": "planted",
  "POST /api/staff/overrides/{id}/review note": "planted",
  "POST /api/cases category": "a code (anything else is refused)",
  "POST /api/cases description": "planted",
  "POST /api/cases/{id}/claim facts.*":
    "stored as the claim's facts, planted through POST /api/claims facts.*",
  "POST /api/cases/{id}/claim losses[].kind": "a code (anything else is refused)",
  "POST /api/cases/{id}/claim peril": "a code (anything else is refused)",
  "POST /api/cases/{id}/content-removals contentType": "a code (anything else is refused)",
  "POST /api/cases/{id}/content-removals explanation": "planted",
  "POST /api/cases/{id}/content-removals ground": "a code (anything else is refused)",
  "POST /api/cases/{id}/content-removals platform": "planted",
  "POST /api/cases/{id}/content-removals url": "planted",
  "POST /api/cases/{id}/notes text": "planted",
  "POST /api/cases/{id}/priority priority": "a code (anything else is refused)",
  "POST /api/cases/{id}/priority reason": "planted",
  "POST /api/cases/{id}/referrals to": "a code (anything else is refused)",
  "POST /api/cases/{id}/responses text": "planted",
  "POST /api/cases/{id}/status reason": "planted",
  "POST /api/cases/{id}/status status": "a code (anything else is refused)",
  "POST /api/risk-tool/assessments answers.*": "option codes of the questionnaire (anything else is refused)",
};

/** Where the issue found the party's values left behind, plus the other copies the API makes. */
const COPIES = [
  "idempotency_keys.response",
  "claims.reference",
  "claims.facts",
  "claim_facts.facts",
  "claim_decisions.explanation",
  "claim_decisions.reason_text",
  "claim_overrides.reason_text",
  "claim_overrides.review_note",
  "claim_referrals.reason_text",
  "claim_evidence.file_name",
  "claim_evidence.content",
  "api_tokens.label",
  "sepa_mandates.account_holder",
  "sepa_mandates.iban",
  "sepa_mandates.consent_text",
  "payout_accounts.iban",
  "payouts.payee_name",
  "payouts.iban",
  "overpayments.payer_name",
  "overpayments.payer_iban",
  "premium_letters.recipient",
  "premium_letters.body",
  "audit_log.after",
  "parties.name",
  "parties.email",
  "users.email",
  "assistance_notes.body",
  "assistance_status_changes.reason",
  "assistance_priority_changes.reason",
  "assistance_cases.priority_reason",
  "content_removals.platform",
  "content_removals.url",
  "content_removals.explanation",
  "content_removals.notice_text",
];
/** Tables the export hands out under another name. */
const EXPORTED_AS: Record<string, string> = {
  parties: "party",
  // What happened when; its before/after images repeat the exported rows.
  audit_log: "history",
};
/** Tables holding the party's values that the export leaves out, and why. */
const NOT_EXPORTED: Record<string, string> = {
  idempotency_keys: "stored copies of responses already handed to whoever made the request",
};
const columns = (hits: string[]) => [...new Set(hits.map((h) => h.split(":")[0]))];

let t: TestApp;
let planted: Awaited<ReturnType<typeof plantEverywhere>>;
beforeAll(async () => {
  t = await startTestApp();
  planted = await plantEverywhere(t);
}, 120_000);
afterAll(() => t.close());

describe("GDPR erasure leaves no personal data", () => {
  it("plants the party in every free-text field of the API, and finds every copy before erasing", async () => {
    const unlisted = (await freeTextFields(t.app)).filter((f) => !(f in FIELDS));
    expect(unlisted, "free-text fields nobody planted").toEqual([]);
    const hits = await findValues(t.db, PLANTED);
    expect(columns(hits)).toEqual(expect.arrayContaining(COPIES));
    // Whatever erasure must clean, the export must have handed out (GDPR art. 15).
    const exported = await call(
      t.app,
      t.staff.admin,
      "GET",
      `/api/admin/parties/${planted.partyId}/personal-data`,
    );
    const tables = Object.keys(exported.json().data);
    const missing = [...new Set(hits.map((h) => h.split(".")[0]!))].filter(
      (table) => !tables.includes(EXPORTED_AS[table] ?? table) && !(table in NOT_EXPORTED),
    );
    expect(missing).toEqual([]);
  });

  it("erases every copy of the name, e-mail, phone and IBANs from every table", async () => {
    const result = await inTx(t.db, (tx) =>
      erasePersonalData(tx, planted.erasableOn, { partyId: planted.partyId }),
    );
    expect(result.policies).toHaveLength(2);
    expect(await findValues(t.db, PLANTED)).toEqual([]);
    // The search still sees other people: it would have seen the party too.
    expect(columns(await findValues(t.db, ["Bob Bakker", "admin@example.test"]))).toEqual(
      expect.arrayContaining(["parties.name", "users.email"]),
    );
  });

  it("keeps the records the law needs, pseudonymised", async () => {
    const db = t.db.kysely;
    const claims = await db
      .selectFrom("claims")
      .select(["payout_cents", "facts", "reference", "status"])
      .where("policy_id", "in", planted.policyIds)
      .orderBy("number")
      .execute();
    expect(claims.map((c) => [c.status, c.payout_cents, c.reference])).toEqual([
      ["approved", 30000, null],
      ["approved", 120000, null],
    ]);
    // What decided the claim stays; what the policyholder typed does not.
    expect(claims[0]!.facts).toMatchObject({
      policeReport: true,
      bankRefusalProof: true,
      contact: "[erased]",
    });
    const payouts = await db
      .selectFrom("payouts")
      .select(["amount_cents", "payee_name", "iban", "status"])
      .where("policy_id", "in", planted.policyIds)
      .execute();
    expect(payouts.length).toBeGreaterThan(0);
    for (const p of payouts) {
      expect(p.status).toBe("executed");
      expect(p.payee_name).toBe(planted.alias);
      expect(p.iban).toMatch(/^(BE71\*+6769|NL20\*+4567)$/);
    }
    const override = await db
      .selectFrom("claim_overrides")
      .select("reason_text")
      .where("policy_id", "in", planted.policyIds)
      .orderBy("requested_at")
      .executeTakeFirstOrThrow();
    expect(override.reason_text).toMatch(/^agreed on the phone with: \[erased\]/);
    const letters = await db
      .selectFrom("premium_letters")
      .select(["recipient"])
      .where("policy_id", "in", planted.policyIds)
      .execute();
    expect(letters.map((l) => l.recipient)).toEqual(letters.map(() => planted.alias));
  });

  it("still replays a staff member's retried request instead of doing it twice", async () => {
    const before = await t.db.kysely.selectFrom("claims").select("id").execute();
    const retry = await call(
      t.app,
      t.staff.helpline_agent,
      "POST",
      "/api/claims",
      phonedIn(planted.policyIds[0]!),
      { "idempotency-key": "gdpr-claim-2" },
    );
    expect(retry.headers["idempotent-replayed"]).toBe("true");
    expect(retry.body).not.toContain(Q.holder);
    expect(await t.db.kysely.selectFrom("claims").select("id").execute()).toHaveLength(before.length);
  });
});
