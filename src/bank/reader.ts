import { XMLParser, XMLValidator } from "fast-xml-parser";
import { z } from "zod";
import type { Cents } from "../shared/money.ts";
import { BankFileError } from "./errors.ts";
import { formatPath } from "./fields.ts";

/** The ISO 20022 messages this module writes or reads, identified by their XML namespace. */
export const BANK_FILE_TYPES = [
  "pain.001.001.09",
  "pain.002.001.10",
  "pain.008.001.08",
  "camt.054.001.02",
  "camt.054.001.08",
] as const;
export type BankFileType = (typeof BANK_FILE_TYPES)[number];

const NAMESPACE_PREFIX = "urn:iso:std:iso:20022:tech:xsd:";

/** Which message a bank file is, from the namespace of its root Document element. */
export function detectBankFileType(xml: string): BankFileType {
  const root = rootElement(parseTree(xml, { removeNSPrefix: false, isArray: () => false }));
  const [prefix, local] = root.name.includes(":") ? root.name.split(":", 2) : ["", root.name];
  if (local !== "Document") {
    throw new BankFileError(
      "bank_file_unknown_type",
      `root element is <${root.name}>, expected an ISO 20022 Document`,
    );
  }
  const ns = root.attrs[prefix ? `@_xmlns:${prefix}` : "@_xmlns"];
  const type =
    typeof ns === "string" && ns.startsWith(NAMESPACE_PREFIX) ? ns.slice(NAMESPACE_PREFIX.length) : null;
  const known = BANK_FILE_TYPES.find((t) => t === type);
  if (!known) {
    throw new BankFileError(
      "bank_file_unknown_type",
      `unsupported bank file namespace ${typeof ns === "string" ? `"${ns}"` : "(none)"}; supported: ${BANK_FILE_TYPES.join(", ")}`,
    );
  }
  return known;
}

/**
 * Parses a bank file of one of the `expected` types into plain objects (namespace prefixes removed,
 * every value a string, repeating elements always arrays) and checks its shape with `schema`.
 */
export function readBankFile<T extends z.ZodType>(
  xml: string,
  expected: readonly BankFileType[],
  arrayTags: ReadonlySet<string>,
  schema: T,
): { type: BankFileType; data: z.output<T> } {
  const type = detectBankFileType(xml);
  if (!expected.includes(type)) {
    throw new BankFileError("bank_file_unknown_type", `expected ${expected.join(" or ")}, got ${type}`);
  }
  const tree = parseTree(xml, { removeNSPrefix: true, isArray: (tag) => arrayTags.has(tag) });
  const result = schema.safeParse(tree);
  if (!result.success) {
    const issues = result.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
    throw new BankFileError(
      "bank_file_invalid",
      `${type}: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
      issues,
    );
  }
  return { type, data: result.data };
}

export function parseTree(
  xml: string,
  options: { removeNSPrefix: boolean; isArray: (tag: string) => boolean },
): unknown {
  // Bank files never carry a DTD; refusing one rules out entity-expansion attacks outright.
  if (/<!DOCTYPE/i.test(xml))
    throw new BankFileError("bank_file_invalid", "XML with a DOCTYPE is not accepted");
  const check = XMLValidator.validate(xml);
  if (check !== true) {
    throw new BankFileError(
      "bank_file_invalid",
      `not well-formed XML (line ${check.err.line}, column ${check.err.col}): ${check.err.msg}`,
    );
  }
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "@_",
    removeNSPrefix: options.removeNSPrefix,
    // Identifiers like "00123" and amounts must stay text: numbers would lose zeros and exactness.
    parseTagValue: false,
    parseAttributeValue: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    isArray: (tag, _path, _leaf, isAttribute) => !isAttribute && options.isArray(tag),
  });
  try {
    return parser.parse(xml);
  } catch (e) {
    // fast-xml-parser refuses names such as <constructor> or <__proto__> with a plain Error.
    throw new BankFileError("bank_file_invalid", `XML not accepted: ${(e as Error).message}`);
  }
}

function rootElement(tree: unknown): { name: string; attrs: Record<string, unknown> } {
  const entries = typeof tree === "object" && tree !== null ? Object.entries(tree) : [];
  const first = entries.find(([k]) => !k.startsWith("?") && !k.startsWith("#"));
  if (!first) throw new BankFileError("bank_file_invalid", "the XML has no root element");
  const [name, value] = first;
  const attrs = typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
  return { name, attrs };
}

const DECIMAL = /^(\d{1,13})(?:\.(\d{1,2}))?$/;

/** Exact cents from an ISO decimal ("12", "12.3", "12.34"); null for anything else, e.g. "12.345". */
export function decimalToCents(value: string): Cents | null {
  const m = DECIMAL.exec(value.trim());
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
}

export const centsText = z.string().transform((v, ctx) => {
  const cents = decimalToCents(v);
  if (cents === null) {
    ctx.addIssue({
      code: "custom",
      message: `"${v}" is not a non-negative amount with at most two decimals`,
    });
    return z.NEVER;
  }
  return cents;
});

/** `<Amt Ccy="EUR">12.34</Amt>`: the platform only books euros, so any other currency is an error. */
export const eurAmount = z
  .object({ "#text": centsText, "@_Ccy": z.string() })
  .refine((a) => a["@_Ccy"] === "EUR", { message: "currency must be EUR" })
  .transform((a) => a["#text"]);

export const text = z.string().min(1, { message: "must not be empty" });

/** ISO external code (status, reason): four upper-case letters/digits. */
export const code4 = z.string().regex(/^[A-Z0-9]{4}$/, { message: "must be a four-character ISO code" });

/** Choice of `<Cd>` (ISO external code) or `<Prtry>` (bank-specific); the code wins when both exist. */
export const codeOrProprietary = z
  .object({ Cd: z.string().optional(), Prtry: z.string().optional() })
  .transform((c) => c.Cd ?? c.Prtry ?? null);
