import type { FastifyInstance } from "fastify";

export interface ApiRoute {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** OpenAPI path, e.g. "/api/policies/{id}". */
  path: string;
  description: string;
}

/** Every API route, read from the OpenAPI document, so routes added later are covered too. */
export async function apiRoutes(app: FastifyInstance): Promise<ApiRoute[]> {
  const doc = (await app.inject({ method: "GET", url: "/openapi.json" })).json() as {
    paths: Record<string, Record<string, { description?: string }>>;
  };
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({
      method: method.toUpperCase() as ApiRoute["method"],
      path,
      description: op.description ?? "",
    })),
  );
}

export function fill(path: string, id: string): string {
  return path.replace(/\{[a-zA-Z]+\}/g, id);
}
