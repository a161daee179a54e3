import type { FastifyInstance } from "fastify";

type Schema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
};
type Operation = {
  parameters?: { in: string; name: string; schema?: Schema }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
};
type Doc = {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
};

/**
 * Every place an API operation takes free text, read from the OpenAPI document ("POST
 * /api/claims reference", "POST /api/claims facts.*"): strings without an enum, a format or a
 * pattern (those are ids, dates, amounts and codes), in JSON bodies and query parameters, and a
 * binary body ("… (body)"). A route or field added later shows up here by itself.
 */
export async function freeTextFields(app: FastifyInstance): Promise<string[]> {
  const doc = (await app.inject({ method: "GET", url: "/openapi.json" })).json() as Doc;
  const resolve = (s: Schema): Schema =>
    s.$ref ? resolve(doc.components?.schemas?.[s.$ref.split("/").pop() ?? ""] ?? {}) : s;
  const walk = (raw: Schema, path: string, out: Set<string>): void => {
    const s = resolve(raw);
    for (const alt of [...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])]) walk(alt, path, out);
    const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
    if (types.includes("string") && !s.enum && s.const === undefined && !s.format && !s.pattern)
      out.add(path);
    for (const [k, v] of Object.entries(s.properties ?? {})) walk(v, path ? `${path}.${k}` : k, out);
    if (typeof s.additionalProperties === "object") walk(s.additionalProperties, `${path}.*`, out);
    if (s.items) walk(s.items, `${path}[]`, out);
  };
  const fields = new Set<string>();
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const at = `${method.toUpperCase()} ${path}`;
      const found = new Set<string>();
      for (const p of op.parameters ?? []) if (p.in === "query" && p.schema) walk(p.schema, p.name, found);
      for (const [type, c] of Object.entries(op.requestBody?.content ?? {})) {
        if (type === "application/json" && c.schema) walk(c.schema, "", found);
        else found.add("(body)");
      }
      for (const f of found) fields.add(`${at} ${f}`);
    }
  }
  return [...fields].sort();
}
