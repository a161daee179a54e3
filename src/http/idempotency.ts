import { createHash } from "node:crypto";
import type { FastifyRequest } from "fastify";
import { AppError } from "../shared/errors.ts";
import { IDEMPOTENCY_HEADER } from "./config.ts";

const KEY = /^[\x21-\x7e]{1,255}$/;

export function idempotencyKey(request: FastifyRequest): string | null {
  const key = request.headers[IDEMPOTENCY_HEADER];
  if (key === undefined) return null;
  if (typeof key !== "string" || !KEY.test(key)) {
    throw new AppError("idempotency_key_invalid", "Idempotency-Key must be 1-255 visible ASCII characters", [
      { path: IDEMPOTENCY_HEADER, message: "1-255 visible ASCII characters" },
    ]);
  }
  return key;
}

/** JSON with sorted keys, so `{a,b}` and `{b,a}` are the same request. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

export function requestFingerprint(request: FastifyRequest): string {
  const path = request.url.split("?")[0] ?? "";
  return createHash("sha256")
    .update(`${request.method} ${path}\n${canonical(request.body)}`)
    .digest("hex");
}
