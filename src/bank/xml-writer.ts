import { escapeXml } from "./sepa-text.ts";

/** A tiny element tree: enough for the fixed shapes of pain messages, with escaping in one place. */
export type XmlNode =
  | { name: string; text: string; attrs?: Record<string, string> }
  | { name: string; children: XmlNode[] };

type Child = XmlNode | null | readonly XmlNode[];

export function leaf(name: string, text: string, attrs?: Record<string, string>): XmlNode {
  return attrs ? { name, text, attrs } : { name, text };
}

/**
 * `null` children are left out, so optional elements read inline at their schema position. Lists
 * are passed as arrays, never spread: a file of 300 000 transactions would overflow the call stack.
 */
export function el(name: string, ...children: Child[]): XmlNode {
  const out: XmlNode[] = [];
  for (const child of children) {
    if (child === null) continue;
    if (Array.isArray(child)) for (const c of child as readonly XmlNode[]) out.push(c);
    else out.push(child as XmlNode);
  }
  return { name, children: out };
}

/** Without a BIC, SEPA ("IBAN only") requires the literal NOTPROVIDED in place of the agent's BIC. */
export function agent(name: string, bic: string | undefined): XmlNode {
  return el(name, el("FinInstnId", bic ? leaf("BICFI", bic) : el("Othr", leaf("Id", "NOTPROVIDED"))));
}

export function renderDocument(namespace: string, root: XmlNode): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<Document xmlns="${escapeXml(namespace)}">`];
  render(root, 1, lines);
  lines.push("</Document>", "");
  return lines.join("\n");
}

const INDENTS = Array.from({ length: 16 }, (_, depth) => "  ".repeat(depth));

function render(node: XmlNode, depth: number, lines: string[]): void {
  const indent = INDENTS[depth] ?? "  ".repeat(depth);
  if ("text" in node) {
    let attrs = "";
    if (node.attrs) for (const [k, v] of Object.entries(node.attrs)) attrs += ` ${k}="${escapeXml(v)}"`;
    lines.push(`${indent}<${node.name}${attrs}>${escapeXml(node.text)}</${node.name}>`);
    return;
  }
  lines.push(`${indent}<${node.name}>`);
  for (const child of node.children) render(child, depth + 1, lines);
  lines.push(`${indent}</${node.name}>`);
}
