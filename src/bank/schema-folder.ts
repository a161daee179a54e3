import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { AppError } from "../shared/errors.ts";
import { REPO_ROOT } from "../shared/paths.ts";
import type { BankFileType } from "./reader.ts";

/** The checkout's root: the default schema folder lies beside it, wherever the command is run from. */

export const PAIN_002_XSD = "EPC130-08_2025_V1.0_pain.002.001.10.xsd";

/** BANK_XSD_DIR (relative to the working directory), else `../shared/xsd` next to the repository. */
export function bankXsdDir(env: Record<string, string | undefined> = process.env): string {
  return env.BANK_XSD_DIR ? resolve(env.BANK_XSD_DIR) : resolve(REPO_ROOT, "../shared/xsd");
}

export interface ImportSchemas {
  pain002Xsd: string | null;
  camt054Xsd: string | null;
  /** What the operator is told about the schema check. */
  note: string | null;
}

/**
 * The schemas an imported file is checked against. The default is safe: without the schema folder
 * (or, for a pain.002, without the EPC pain.002 schema in it) the import is refused, unless the
 * operator opts out with --skip-xsd. A camt.054 is checked when a schema of its version
 * (a file named `*camt.054.001.08*.xsd` or `*camt.054.001.02*.xsd`) is in the folder.
 */
export function importSchemas(
  fileType: BankFileType,
  opts: { skip: boolean; env?: Record<string, string | undefined> },
): ImportSchemas {
  if (opts.skip) return { pain002Xsd: null, camt054Xsd: null, note: "XSD check skipped (--skip-xsd)" };
  const dir = bankXsdDir(opts.env);
  const refuse = (what: string) =>
    new AppError(
      "bank_xsd_missing",
      `${what} (BANK_XSD_DIR=${dir}): set BANK_XSD_DIR to the folder with the bank schemas, or pass --skip-xsd to import without the schema check; nothing was imported`,
    );
  if (!existsSync(dir)) throw refuse("the bank schema folder does not exist");
  if (fileType === "pain.002.001.10") {
    const path = join(dir, PAIN_002_XSD);
    if (!existsSync(path)) throw refuse(`${PAIN_002_XSD} is not in the bank schema folder`);
    return { pain002Xsd: path, camt054Xsd: null, note: null };
  }
  const schema = readdirSync(dir).find((f) => f.includes(fileType) && f.endsWith(".xsd"));
  if (!schema) {
    return {
      pain002Xsd: null,
      camt054Xsd: null,
      note: `no ${fileType} XSD in ${dir}: checked against the elements ${fileType} defines (built in), not the full schema`,
    };
  }
  return { pain002Xsd: null, camt054Xsd: join(dir, schema), note: null };
}
