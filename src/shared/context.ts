import type { Catalog } from "../products/index.ts";

/** Who acts and when: passed explicitly to every service so time and identity are never ambient. */
export interface Ctx {
  /** "system", "user:<id>", "cli", "conformance", … recorded in the audit log. */
  actor: string;
  now: Date;
  catalog: Catalog;
  requestId?: string;
}
