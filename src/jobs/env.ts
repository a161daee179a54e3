import { join, resolve } from "node:path";

/** Where scheduled jobs write bank files: BANK_DIR, else DATA_DIR/bank (where the CLI commands write). */
export function bankDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.BANK_DIR || join(env.DATA_DIR || "./data", "bank"));
}
