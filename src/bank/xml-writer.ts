import { escapeXml } from "./sepa-text.ts";

/** A tiny element tree: enough for the fixed shapes of pain messages, with escaping in one place. */
export type XmlNode =
  | { name: string; text: string; attrs?: Record<string, string> }
  | { name: string; children: XmlNode[] };

export function leaf(name: string, text: string, attrs?: Record<string, string>): XmlNode {
  return attrs ? { name, text, attrs } : { name, text };
}

/** Children that are `null` are left out, so optional elements read inline at their schema position. */
export function el(name: string, ...children: (XmlNode | null)[]): XmlNode {
  return { name, children: children.filter((c): c is XmlNode => c !== null) };
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

function render(node: XmlNode, depth: number, lines: string[]): void {
  const indent = "  ".repeat(depth);
  if ("text" in node) {
    const attrs = Object.entries(node.attrs ?? {})
      .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
      .join("");
    lines.push(`${indent}<${node.name}${attrs}>${escapeXml(node.text)}</${node.name}>`);
    return;
  }
  lines.push(`${indent}<${node.name}>`);
  for (const child of node.children) render(child, depth + 1, lines);
  lines.push(`${indent}</${node.name}>`);
}
