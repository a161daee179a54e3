import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PASSWORD, startTestApp, type TestApp } from "./helpers.ts";
import { apiRoutes } from "./routes.ts";

let t: TestApp;
let base: string;
beforeAll(async () => {
  t = await startTestApp({ cookieSecure: false });
  base = await t.app.listen({ port: 0, host: "127.0.0.1" });
});
afterAll(() => t.close());

describe("a real port", () => {
  it("serves health, the OpenAPI document and the docs", async () => {
    expect(await (await fetch(`${base}/health`)).json()).toEqual({ status: "ok" });
    const doc = (await (await fetch(`${base}/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toContain("/api/policies/{id}/cancellation");
    const docs = await fetch(`${base}/docs/`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain("swagger");
  });

  it("runs a portal session over HTTP: login cookie, CSRF, a quote", async () => {
    const login = await fetch(`${base}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "alice@example.test", password: PASSWORD }),
    });
    expect(login.status).toBe(200);
    const setCookie = login.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    const cookie = setCookie.split(";")[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const res = await fetch(`${base}/api/quotes`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie, "x-csrf-token": csrfToken },
      body: JSON.stringify({
        product: "be-cyber-care",
        household: "family",
        paymentFrequency: "monthly",
        paymentMethod: "partner_invoice",
      }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ installment: "4.99", annualTotal: "59.88" });
  });

  it("documents every API route with its roles", async () => {
    for (const r of await apiRoutes(t.app)) {
      if (r.path === "/api/auth/login") continue;
      // The account routes a person without a login needs say so instead (routes/accounts.ts).
      expect(r.description, `${r.method} ${r.path}`).toMatch(/^(Roles: |Public \(no login\))/);
    }
  });
});
