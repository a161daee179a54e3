import fc from "fast-check";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import type { ApiRoute } from "./routes.ts";

/**
 * Inputs that once reached the database and came back as 500s (issue 10 item 5), and their
 * neighbours: NUL, unpaired surrogates, dates PostgreSQL or the date arithmetic cannot hold,
 * amounts whose sums leave the safe integers.
 */
export const HOSTILE_STRINGS = [
  "a\u0000b",
  "\u0000",
  "%00",
  "\ud800",
  "x\udfffy",
  "😀",
  "0000-01-01",
  "0001-01-01",
  "9999-12-31",
  "2026-02-30",
  "2026-13-01",
  "+002026-01-01",
  "9999999999999.99",
  "99999999999999.99",
  "10000000000.00",
  "-0.01",
  "12.345",
  "1e3",
  "NL00",
  "00000000-0000-0000-0000-000000000000",
  "__proto__",
  "constructor",
  "",
  " ",
  "x".repeat(5000),
] as const;

/** 20 loss lines of the largest amount the old schema took: their sum was not a safe integer. */
export const HUGE_LOSSES = Array.from({ length: 20 }, () => ({
  kind: "transferred_amount",
  amount: "9999999999999.99",
}));

export const junk = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.string(),
  // Arbitrary UTF-16 code units: lone surrogates and control characters, not just nice text.
  fc.string({ unit: "binary", maxLength: 8 }),
  fc.constant(HUGE_LOSSES),
  fc.array(fc.constantFrom(...HOSTILE_STRINGS), { maxLength: 3 }),
  fc.dictionary(
    fc.constantFrom("note", "\u0000", "\ud800", "policeReport"),
    fc.constantFrom(...HOSTILE_STRINGS),
  ),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 25 }),
  fc.object({ maxDepth: 2 }),
);

/** Every path into a JSON value ([] is the value itself), so nested fields are mutated too. */
function paths(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== "object") return [at];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [at, ...entries.flatMap(([k, v]) => paths(v, [...at, k]))];
}

/** A copy of `value` with the thing at `path` replaced (or removed when `replacement` is undefined). */
function replaced(value: unknown, path: readonly (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  if (Array.isArray(value)) {
    const copy: unknown[] = [...value];
    const next = replaced(copy[Number(head)], rest, replacement);
    if (next === undefined) copy.splice(Number(head), 1);
    else copy[Number(head)] = next;
    return copy;
  }
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  const next = replaced(copy[head], rest, replacement);
  if (next === undefined) delete copy[head];
  else copy[head] = next;
  return copy;
}

/** What a valid string becomes to probe the storage: NUL or a lone surrogate inside it. */
const POISONS = [
  (v: string) => `${v}\u0000`,
  (v: string) => `\u0000${v}`,
  (v: string) => `${v.slice(0, 1)}\ud800${v.slice(1)}`,
  (v: string) => `${v}\udc00`,
] as const;

/** The leaf at `path` poisoned: a string keeps its content around a NUL or lone surrogate. */
function poisoned(
  seed: unknown,
  path: readonly (string | number)[],
  which: number,
  hostile: string,
): unknown {
  let leaf: unknown = seed;
  for (const k of path) leaf = (leaf as Record<string | number, unknown>)[k];
  const value =
    typeof leaf === "string" && which % 2 === 0 ? POISONS[which % POISONS.length]!(leaf) : hostile;
  return replaced(seed, path, value);
}

/**
 * A seed with one field, at any depth, poisoned (NUL, lone surrogate, an impossible date or
 * amount), replaced by junk, removed, or joined by a new key; or a seed as it is; or something
 * that is not such an object at all.
 */
export const mutated = (seeds: readonly unknown[]) =>
  fc.oneof(
    {
      weight: 8,
      arbitrary: fc
        .tuple(
          fc.constantFrom(...seeds),
          fc.nat(),
          junk,
          fc.nat(7),
          fc.string({ maxLength: 10 }),
          fc.nat(),
          fc.constantFrom(...HOSTILE_STRINGS),
        )
        .map(([seed, pick, value, op, key, which, hostile]) => {
          const all = paths(seed).filter((p) => p.length > 0);
          if (all.length === 0 || op === 7) return replaced(seed, [key], value);
          const path = all[pick % all.length]!;
          if (op === 0) return replaced(seed, path, undefined);
          if (op <= 2) return replaced(seed, path, value);
          return poisoned(seed, path, which, hostile);
        }),
    },
    { weight: 1, arbitrary: fc.constantFrom(...seeds) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 1, arbitrary: junk },
  );

/** How a fuzzed payload goes out: as a JSON body, cut short, as bytes, as a query, or in the path. */
export const SHAPES = ["json", "truncated", "binary", "query", "path"] as const;
export type Shape = (typeof SHAPES)[number];

/** Mostly well-formed JSON (or, for a GET, a query): that is where the checks behind the parser are. */
export const shape = fc.oneof(
  { weight: 6, arbitrary: fc.constant<Shape>("json") },
  ...SHAPES.slice(1).map((s) => ({ weight: 1, arbitrary: fc.constant<Shape>(s) })),
);

/**
 * Requests per test file: CYBERPOLIS_FUZZ_REQUESTS (e.g. 25000 for a long run), else the file's
 * default that keeps `npm test` at a few minutes on a shared two-core machine.
 */
export function runsPerRoute(routes: readonly ApiRoute[], defaultTotal: number): number {
  const total = Number(process.env.CYBERPOLIS_FUZZ_REQUESTS ?? defaultTotal);
  if (!Number.isSafeInteger(total) || total < 1)
    throw new Error("CYBERPOLIS_FUZZ_REQUESTS: a positive integer");
  return Math.max(1, Math.ceil(total / routes.length));
}

/**
 * encodeURIComponent, but a lone surrogate goes out as its three WTF-8 bytes (%ED%A0%80), the
 * invalid UTF-8 an attacker's client would send, where encodeURIComponent throws.
 */
function encode(text: string): string {
  let out = "";
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xd800 && cp <= 0xdfff) {
      const bytes = [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)];
      out += bytes.map((b) => `%${b.toString(16).toUpperCase()}`).join("");
    } else out += encodeURIComponent(ch);
  }
  return out;
}

function asQuery(payload: unknown): string {
  if (payload === null || typeof payload !== "object") return `q=${encode(String(payload))}`;
  return Object.entries(payload as Record<string, unknown>)
    .map(([k, v]) => `${encode(k)}=${encode(typeof v === "string" ? v : (JSON.stringify(v) ?? ""))}`)
    .join("&");
}

/** Path segment for the "path" shape: the payload's first string, or the payload itself, encoded. */
function asSegment(payload: unknown): string {
  const first =
    typeof payload === "string"
      ? payload
      : Object.values((payload ?? {}) as object).find((v) => typeof v === "string");
  return encode(typeof first === "string" && first !== "" ? first : (JSON.stringify(payload) ?? "null"));
}

/** One fuzzed request; `url` has its ids filled in, `route.path` (the OpenAPI path) is filled with junk for the "path" shape. */
export function sendFuzzed(
  app: FastifyInstance,
  route: ApiRoute,
  url: string,
  payload: unknown,
  as: Shape,
  headers: Record<string, string>,
): Promise<LightMyRequestResponse> {
  // A GET has no body: its "json" is the payload as a query.
  const shape = route.method === "GET" && as === "json" ? "query" : as;
  const text = JSON.stringify(payload) ?? "null";
  const target =
    shape === "query"
      ? `${url}?${asQuery(payload)}`
      : shape === "path"
        ? route.path.replace(/\{[a-zA-Z]+\}/, asSegment(payload)).replace(/\{[a-zA-Z]+\}/g, "x")
        : url;
  const body =
    route.method === "GET" || shape === "query" || shape === "path"
      ? {}
      : {
          payload: shape === "truncated" ? text.slice(0, -1) : shape === "binary" ? Buffer.from(text) : text,
        };
  return app.inject({
    method: route.method,
    url: target,
    headers:
      "payload" in body
        ? { ...headers, "content-type": shape === "binary" ? "application/pdf" : "application/json" }
        : headers,
    ...body,
  });
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const AMOUNT = /^\d+\.\d{2}$/;

/**
 * The inputs, put deliberately into every field of an operation's valid seeds (fast-check
 * runs them before the random ones): each string with a NUL and with a lone surrogate, each date as
 * 0000-01-01, each amount as 9999999999999.99, each list of loss lines as 20 huge ones, and every
 * seed twice as it is (a second claim with the same reference).
 */
export function deliberate(seeds: readonly unknown[]): unknown[] {
  return seeds.flatMap((seed) => {
    const variants: unknown[] = [seed, seed];
    for (const path of paths(seed)) {
      let leaf: unknown = seed;
      for (const k of path) leaf = (leaf as Record<string | number, unknown>)[k];
      if (path.at(-1) === "losses") variants.push(replaced(seed, path, HUGE_LOSSES));
      if (typeof leaf !== "string") continue;
      variants.push(replaced(seed, path, POISONS[0](leaf)), replaced(seed, path, POISONS[2](leaf)));
      if (DATE.test(leaf)) variants.push(replaced(seed, path, "0000-01-01"));
      if (AMOUNT.test(leaf)) variants.push(replaced(seed, path, "9999999999999.99"));
    }
    return variants;
  });
}
