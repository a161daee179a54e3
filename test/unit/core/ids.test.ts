import { describe, expect, it } from "vitest";
import { uuidv7, uuidv7Time } from "../../../src/shared/ids.ts";

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("uuidv7", () => {
  it("is an RFC 9562 version 7 uuid carrying its creation time", () => {
    const at = Date.UTC(2026, 10, 22, 12, 0, 0, 123);
    const id = uuidv7(at);
    expect(id).toMatch(V7);
    expect(uuidv7Time(id)).toBe(at);
  });

  it("sorts in creation order, also within one millisecond and when the clock steps back", () => {
    const at = Date.UTC(2030, 0, 1);
    const ids = [
      ...Array.from({ length: 5000 }, () => uuidv7(at)),
      uuidv7(at - 1000),
      ...Array.from({ length: 10 }, (_, i) => uuidv7(at + 10 + i)),
    ];
    for (const id of ids) expect(id).toMatch(V7);
    // PostgreSQL orders uuids bytewise, which for lowercase hex is plain string order.
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
