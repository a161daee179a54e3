import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, startTestApp, type TestApp } from "./helpers.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe("smoke", () => {
  it("lists products", async () => {
    const res = await call(t.app, t.alice, "GET", "/api/products");
    expect(res.statusCode).toBe(200);
    expect(
      res
        .json()
        .items.map((p: { code: string }) => p.code)
        .sort(),
    ).toEqual(["be-cyber-care", "nl-cyber"]);
  });
});
