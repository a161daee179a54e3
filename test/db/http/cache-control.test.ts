import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, PASSWORD, startTestApp, type TestApp } from "./helpers.ts";
import { apiRoutes, fill } from "./routes.ts";

/** Issue 10 item 9: no browser or proxy may keep an API answer (personal data, CSRF tokens). */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe("Cache-Control: no-store", () => {
  it("is on every route of the OpenAPI document, for answers and refusals alike", async () => {
    const routes = await apiRoutes(t.app);
    expect(routes.length).toBeGreaterThanOrEqual(20);
    for (const r of routes) {
      const url = fill(r.path, t.alice.policyId);
      const who = /Roles:[^.]*\bpolicyholder\b/.test(r.description) ? t.alice : t.staff.admin;
      for (const caller of [who, null]) {
        const res = await call(t.app, caller, r.method, url, r.method === "GET" ? undefined : {});
        expect({
          route: `${r.method} ${r.path} ${caller ? "" : "anonymous"}`,
          cache: res.headers["cache-control"],
        }).toEqual({ route: `${r.method} ${r.path} ${caller ? "" : "anonymous"}`, cache: "no-store" });
      }
    }
  });

  it("is on the login answer with its CSRF token and on the personal-data download", async () => {
    const login = await call(t.app, null, "POST", "/api/auth/login", {
      email: t.alice.email,
      password: PASSWORD,
    });
    expect(login.statusCode).toBe(200);
    expect(login.json().csrfToken).toEqual(expect.any(String));
    expect(login.headers["cache-control"]).toBe("no-store");

    // The session just made, not Alice's bearer token: the sweep above logged that one out.
    const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join("; ");
    const session = { headers: { cookie } };
    const download = await call(t.app, session, "GET", "/api/me/personal-data");
    expect(download.statusCode).toBe(200);
    expect(download.headers["content-disposition"]).toMatch(/attachment/);
    expect(download.headers["cache-control"]).toBe("no-store");

    const policy = await call(t.app, session, "GET", `/api/policies/${t.alice.policyId}`);
    expect(policy.statusCode).toBe(200);
    expect(policy.headers["cache-control"]).toBe("no-store");
  });
});
