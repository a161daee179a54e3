import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { z } from "zod";
import { AppError } from "../shared/errors.ts";
import { repoPath } from "../shared/paths.ts";
import { indemnitySections, type ProductDefinition, productDefinition } from "./schema.ts";

export const PRODUCTS_DIR = repoPath("products");

/** Formats zod issues as "field.path: message" so a broken product file names what is wrong. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
}

export function parseProduct(raw: unknown, source: string): ProductDefinition {
  const result = productDefinition.safeParse(raw);
  if (!result.success) {
    throw new AppError("invalid_product_definition", `${source}: ${describeIssues(result.error)}`);
  }
  return result.data;
}

export function loadProductFile(path: string): ProductDefinition {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new AppError("invalid_product_definition", `${path}: not valid JSON (${(e as Error).message})`);
  }
  const product = parseProduct(raw, path);
  const expected = `${product.code}/${product.version}.json`;
  if (!path.replaceAll("\\", "/").endsWith(expected)) {
    throw new AppError(
      "invalid_product_definition",
      `${path}: code/version must match the file name ${expected}`,
    );
  }
  return product;
}

/** All product versions, keyed by code then version; loaded once per directory. */
export class Catalog {
  readonly products: ReadonlyMap<string, ReadonlyMap<number, ProductDefinition>>;
  readonly knownPerils: ReadonlySet<string>;
  readonly knownLossKinds: ReadonlySet<string>;

  constructor(definitions: ProductDefinition[]) {
    const byCode = new Map<string, Map<number, ProductDefinition>>();
    const perils = new Set<string>();
    const lossKinds = new Set<string>();
    for (const p of definitions) {
      const versions = byCode.get(p.code) ?? new Map<number, ProductDefinition>();
      versions.set(p.version, p);
      byCode.set(p.code, versions);
      for (const k of Object.keys(p.neverCoveredLossKinds)) lossKinds.add(k);
      for (const s of indemnitySections(p)) {
        for (const peril of s.perils) perils.add(peril);
        for (const k of Object.keys(s.lossKinds)) lossKinds.add(k);
        for (const k of Object.keys(s.rejectedLossKinds)) lossKinds.add(k);
      }
    }
    this.products = byCode;
    this.knownPerils = perils;
    this.knownLossKinds = lossKinds;
  }

  /** A product version; without a version, the latest one. */
  get(code: string, version?: number): ProductDefinition {
    const versions = this.products.get(code);
    if (!versions)
      throw new AppError("unknown_product", `unknown product "${code}"`, [
        { path: "product", message: `unknown product "${code}"` },
      ]);
    if (version === undefined) return [...versions.values()].sort((a, b) => b.version - a.version)[0]!;
    const p = versions.get(version);
    if (!p) throw new AppError("unknown_product_version", `product ${code} has no version ${version}`);
    return p;
  }

  list(): ProductDefinition[] {
    return [...this.products.values()].flatMap((v) => [...v.values()]);
  }
}

export function loadCatalog(dir: string = PRODUCTS_DIR): Catalog {
  const definitions: ProductDefinition[] = [];
  for (const code of readdirSync(dir, { withFileTypes: true })) {
    if (!code.isDirectory()) continue;
    for (const file of readdirSync(join(dir, code.name))) {
      if (file.endsWith(".json")) definitions.push(loadProductFile(join(dir, code.name, file)));
    }
  }
  return new Catalog(definitions);
}

let cached: Catalog | undefined;
/** The catalog shipped in `products/`, loaded and validated once per process. */
export function defaultCatalog(): Catalog {
  cached ??= loadCatalog();
  return cached;
}
