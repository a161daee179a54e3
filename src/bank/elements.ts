import type { FieldIssue } from "../shared/errors.ts";
import { parseTree } from "./reader.ts";

/**
 * The elements a message version may carry, per parent, for reading a bank file when its XSD is not
 * at hand. `text` holds a value, `amount` a value with a `Ccy` attribute; an object is an element
 * with child elements, keyed by name, a trailing `*` marking a child that may repeat. Order and
 * minimum counts are not checked here: the zod schemas require what the import reads.
 */
export type ElementContent = "text" | "amount" | ElementChildren;
export interface ElementChildren {
  readonly [child: string]: ElementContent;
}

export interface ElementTable {
  /** e.g. "camt.054.001.08", for messages. */
  readonly version: string;
  /** The children of the root `Document`. */
  readonly document: ElementChildren;
}

// One bad file could list thousands of strangers; the first ones say enough.
const MAX_ISSUES = 20;
const ROOT_ATTRIBUTE = /^@_(xmlns(:[\w.-]+)?|xsi:schemaLocation)$/;

/**
 * Every element, attribute or text of `xml` that `table` does not allow where it stands: an unknown
 * element, one of another namespace, a repeated element that may occur once, elements inside a value
 * or text beside elements. Empty when the file carries only what the version defines.
 */
export function elementIssues(xml: string, table: ElementTable): FieldIssue[] {
  const tree = parseTree(xml, { removeNSPrefix: false, isArray: () => true });
  const issues: FieldIssue[] = [];
  const top = typeof tree === "object" && tree !== null ? Object.entries(tree) : [];
  const [rootName, rootValue] = top.find(([k]) => !k.startsWith("#") && !k.startsWith("?")) ?? ["", []];
  const prefix = rootName.includes(":") ? rootName.slice(0, rootName.indexOf(":") + 1) : "";
  const add = (path: string, message: string) => {
    if (issues.length < MAX_ISSUES) issues.push({ path, message: `${message} (${table.version})` });
  };

  const walk = (node: unknown, content: ElementContent, path: string, isRoot: boolean) => {
    const name = path.slice(path.lastIndexOf(".") + 1).replace(/\[\d+\]$/, "");
    if (typeof node !== "object" || node === null) {
      if (typeof content === "object" && String(node).trim() !== "")
        add(path, `<${name}> holds elements, not the text "${String(node).trim().slice(0, 40)}"`);
      else if (content === "amount") add(path, `<${name}> needs its currency (Ccy attribute)`);
      return;
    }
    const entries = Object.entries(node);
    for (const [key, value] of entries) {
      if (key.startsWith("@_")) {
        const allowed = isRoot ? ROOT_ATTRIBUTE.test(key) : content === "amount" && key === "@_Ccy";
        if (!allowed) add(path, `<${name}> has an attribute ${key.slice(2)} that is not allowed`);
        continue;
      }
      if (key === "#text") {
        if (typeof content === "object" && String(value).trim() !== "")
          add(path, `<${name}> holds elements, not the text "${String(value).trim().slice(0, 40)}"`);
        continue;
      }
      if (typeof content !== "object") {
        add(path, `<${name}> holds a value; it cannot contain <${key}>`);
        continue;
      }
      if (prefix ? !key.startsWith(prefix) : key.includes(":")) {
        add(`${path}.${key}`, `<${key}> is not in the document's namespace`);
        continue;
      }
      const child = key.slice(prefix.length);
      // Own keys only: an element named <constructor> must not find Object's.
      const entry = [child, `${child}*`].find((k) => Object.hasOwn(content, k));
      const occurrences = Array.isArray(value) ? value : [value];
      if (entry === undefined) {
        add(`${path}.${child}`, `<${child}> is not an element of <${name}>`);
        continue;
      }
      const childContent = content[entry] ?? "text";
      const repeats = entry.endsWith("*");
      if (!repeats && occurrences.length > 1) {
        add(`${path}.${child}`, `<${child}> occurs ${occurrences.length} times in <${name}>, at most once`);
        continue;
      }
      occurrences.forEach((o, i) => {
        walk(o, childContent, repeats ? `${path}.${child}[${i}]` : `${path}.${child}`, false);
      });
    }
    if (content === "amount" && !entries.some(([k]) => k === "@_Ccy"))
      add(path, `<${name}> needs its currency (Ccy attribute)`);
  };

  const roots = Array.isArray(rootValue) ? rootValue : [rootValue];
  if (rootName.slice(prefix.length) !== "Document" || roots.length !== 1) {
    add("Document", `the root element is <${rootName}>, expected one <Document>`);
    return issues;
  }
  walk(roots[0], table.document, "Document", true);
  return issues;
}
